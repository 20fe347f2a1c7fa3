import { describe, expect, it } from 'vitest';
import { currentWorkerId } from '../src/testing/worker-database.ts';

describe('currentWorkerId', () => {
  it('When two worker processes carry the same VITEST_POOL_ID, then their ids still differ: the process id is part of it', () => {
    const id = currentWorkerId();

    expect(id).toBe(`${process.env.VITEST_POOL_ID ?? '1'}p${process.pid.toString(36)}`);
    // What a second process with the same pool id would get.
    expect(id.replace(/p[0-9a-z]+$/, `p${(process.pid + 1).toString(36)}`)).not.toBe(id);
  });
});
