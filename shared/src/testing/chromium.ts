import { existsSync } from 'node:fs';

// Where a test finds Chromium: the tooling tests (scripts/test) and stage tests that drive a page
// in a real browser (stage 06's docs page).
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
export const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * The browser for a test, or a reason to skip it. Under CI=true a missing browser is a failure
 * (CI must install it); a learner without Chromium gets a loud skip, not a red run.
 */
export function chromiumForTest(what: string): { path: string } | { skip: string } {
  const path = findChromium();
  if (path) return { path };
  const how = `install it with \`${INSTALL_CHROMIUM}\` or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') throw new Error(`Chromium not found (CI=true): ${how}.`);
  const reason = `SKIPPED: Chromium not found, so ${what} is not checked in a browser; ${how}.`;
  console.warn(`\n⚠️  ${reason}\n`);
  return { skip: reason };
}
