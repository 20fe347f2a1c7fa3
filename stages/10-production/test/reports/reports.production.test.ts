import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp, request } from '../support/helpers.ts';

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/app' };

// The report is a lesson (stage 01): seconds of CPU per call, and `mode=blocking` stalls every
// other request on purpose. Any visitor can make an account and be its admin, so in production
// the route is off unless the operator says otherwise.
describe('GET /api/v1/reports/ticket-stats in production', () => {
  it('When NODE_ENV is production and REPORTS_ENABLED is not set, then the report is off; set, then as it says', () => {
    expect(loadConfig(PRODUCTION).reportsEnabled).toBe(false);
    expect(loadConfig({ ...PRODUCTION, REPORTS_ENABLED: 'true' }).reportsEnabled).toBe(true);
    expect(loadConfig({}).reportsEnabled).toBe(true);
    expect(loadConfig({ REPORTS_ENABLED: 'false' }).reportsEnabled).toBe(false);
    expect(() => loadConfig({ REPORTS_ENABLED: 'maybe' })).toThrow(/REPORTS_ENABLED/);
  });

  it('When the report is off, then even an admin gets 404 NOT_FOUND in the envelope', async () => {
    const { app } = buildApp({ config: { reportsEnabled: false } });

    const res = await request(app).get('/api/v1/reports/ticket-stats?mode=blocking');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
