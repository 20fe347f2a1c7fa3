import { fileURLToPath } from 'node:url';
import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { CHROMIUM_ARGS, chromiumForTest } from '@backend-path/shared/testing/chromium';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTicket, testDatabaseUrl, testPool } from '../support/db-helpers.ts';
import { TEST_JWT_SECRET } from '../support/helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';

// The docs page a learner opens: the real server (src/server.ts) on a free port, the real page in
// headless Chromium, clicked through as a person would.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const browserPath = chromiumForTest('the /docs page');
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if ('skip' in browserPath) return;
  server = await startStageServer({
    cwd: STAGE_DIR,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      ...spawnedServerRedisEnv(),
    },
  });
  browser = await chromium.launch({ executablePath: browserPath.path, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('GET /docs', () => {
  it.skipIf('skip' in browserPath)(
    'When a learner authorises with a token and tries GET /api/v1/tickets, then the page shows 200 and a ticket from the database, and nothing left localhost',
    async () => {
      const carol = FIXTURE_USERS.carol;
      const ticket = await insertTicket(testPool(), {
        accountId: carol.accountId,
        createdBy: carol.id,
        subject: 'Seen through the docs page',
      });
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: carol.email, password: FIXTURE_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = ((await login.json()) as { data: { accessToken: string } }).data;

      const page = await browser.newPage();
      const hosts = new Set<string>();
      page.on('request', (request) => {
        hosts.add(new URL(request.url()).host);
      });
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));

      await page.goto(`${server.url}/docs`);
      await page.getByRole('button', { name: 'Authorize' }).first().click();
      await page.locator('.auth-container input').first().fill(accessToken);
      await page.locator('.auth-btn-wrapper button.authorize').click();
      await page.locator('button.close-modal').click();

      const list = page.locator('#operations-Tickets-get_api_v1_tickets');
      await list.locator('.opblock-summary').click();
      await list.getByRole('button', { name: 'Try it out' }).click();
      await list.getByRole('button', { name: 'Execute' }).click();

      const answer = list.locator('.live-responses-table .response');
      // The request, the server's answer and the page's render: seconds on a busy machine, not
      // poll's default second (a 2-core run with another suite beside it missed it).
      await expect
        .poll(() => answer.locator('.response-col_status').textContent(), { timeout: 15_000 })
        .toContain('200');
      const body =
        (await answer.locator('.response-col_description pre').first().textContent()) ?? '';
      expect(JSON.parse(body).data.map((t: { id: string }) => t.id)).toContain(ticket.id);
      expect(body).toContain('Seen through the docs page');
      expect(failures).toEqual([]);
      expect([...hosts]).toEqual([new URL(server.url).host]);
    },
    60_000,
  );
});
