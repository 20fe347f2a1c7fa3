import { LARGEST_TICKET_BODY, largestJsonBytes } from './http/body-limit.ts';
// The only module that reads process.env: everything else receives plain values, so tests can
// build the app with whatever settings they need.
export interface Config {
  port: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  reportSize: number;
}

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort(env.PORT),
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    // The largest valid ticket, in the worst characters (http/body-limit.ts): anything
    // bigger is a mistake or an attack.
    bodyLimitBytes: largestJsonBytes([LARGEST_TICKET_BODY]),
    // 100k synthetic tickets ≈ 150–300 ms of CPU on a laptop-class core: long enough to feel.
    reportSize: 100_000,
  };
}
