import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { availableCpus } from '../../src/reports/available-cpus.ts';

describe('loadConfig', () => {
  it('When nothing is set, then port 3000 and the Vite dev server as the only CORS origin', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    expect(config.corsOrigins).toEqual(['http://localhost:5173']);
  });

  it('When CORS_ORIGINS is a comma list, then each origin is trimmed and empty ones dropped', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173,' });

    expect(config.corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
  });

  it.each(['abc', '70000', '3.5'])('When PORT is %s, then loading fails loudly', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('When report limits are not set, then one worker per CPU and a queue of 8; when set, then used', () => {
    expect(loadConfig({})).toMatchObject({
      reportWorkers: availableCpus(),
      reportQueueLength: 8,
    });
    expect(loadConfig({ REPORT_WORKERS: '1', REPORT_QUEUE_LENGTH: '20' })).toMatchObject({
      reportWorkers: 1,
      reportQueueLength: 20,
    });
    expect(() => loadConfig({ REPORT_WORKERS: '0' })).toThrow(/REPORT_WORKERS/);
  });
});
