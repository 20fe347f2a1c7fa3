import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../support/helpers.ts';

// ACCESS_LOG, the configuration's one flag, end to end: the string from the environment, parsed
// by z.stringbool(), decides whether the app registers its access log.
describe('ACCESS_LOG', () => {
  it('When ACCESS_LOG=false, then a request leaves no access-log line', async () => {
    const { app, deps } = buildApp({
      config: { accessLog: loadConfig({ ACCESS_LOG: 'false' }).accessLog },
    });

    const res = await supertest(app).get('/api/v1/health');

    expect(res.status).toBe(200);
    expect(deps.logs.lines()).toEqual([]);
  });

  it('When ACCESS_LOG is not set, then every request logs one line with its status', async () => {
    const { app, deps } = buildApp({ config: { accessLog: loadConfig({}).accessLog } });

    await supertest(app).get('/api/v1/health');

    const lines = deps.logs.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/^GET \/api\/v1\/health 200 /);
  });
});
