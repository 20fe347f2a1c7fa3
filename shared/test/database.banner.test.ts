import { describe, expect, it, vi } from 'vitest';
import { resolveDatabase } from '../src/testing/database.ts';

describe('resolveDatabase banner with BACKEND_PATH_DB=pglite', () => {
  it('When PGlite is chosen on purpose, then the banner says how to undo the choice, not to start Postgres', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let banner: string[] = [];
    const db = await resolveDatabase({
      name: 'shared-test-banner',
      env: { BACKEND_PATH_DB: 'pglite' },
    }).finally(() => {
      banner = stderr.mock.calls.map(([chunk]) => String(chunk));
      stderr.mockRestore();
    });
    try {
      expect(banner).toHaveLength(1);
      expect(banner[0]).toContain('[db] using embedded PGlite at');
      expect(banner[0]).toContain('BACKEND_PATH_DB=pglite');
      expect(banner[0]).toContain('unset BACKEND_PATH_DB');
      expect(banner[0]).not.toContain('start Postgres');
    } finally {
      await db.close();
    }
  });
});
