import { fileURLToPath } from 'node:url';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Black box: the real src/server.ts in a process of its own, as `pnpm start` runs it. The other
// tests call createApp() and never see the port, the event-loop monitor or the wiring.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
let server: RunningServer;

beforeAll(async () => {
  server = await startStageServer({ cwd: STAGE_DIR });
}, 30_000);

afterAll(() => server?.stop());

describe('src/server.ts', () => {
  it('When started with PORT, then it answers on that port', async () => {
    const res = await fetch(`${server.url}/api/v1/health`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'ok' } });
  });

  it('When it has run for a moment, then the event-loop monitor has samples', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));

    const res = await fetch(`${server.url}/api/v1/metrics/event-loop`);

    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { samples: number } };
    expect(body.data.samples).toBeGreaterThan(0);
  });
});
