import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { NetworkInUnitTestError } from './no-network.ts';

// The guard is only worth something if it fires: these open real connections the three ways
// the code base could (a raw socket, the pg driver, fetch) and expect each to be refused.
describe('the unit suite’s network guard', () => {
  it('When a unit test opens a TCP socket, then it throws before any packet leaves', () => {
    expect(() => net.connect({ host: '127.0.0.1', port: 5432 })).toThrow(NetworkInUnitTestError);
    expect(() => new net.Socket().connect(6379, '127.0.0.1')).toThrow(/127\.0\.0\.1:6379/);
  });

  it('When a unit test queries PostgreSQL through pg, then the query fails with the guard’s error', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });

    await expect(client.connect()).rejects.toThrow(NetworkInUnitTestError);
  });

  it('When a unit test calls fetch, then it fails with the guard’s error as the cause', async () => {
    const failure = await fetch('http://127.0.0.1:5432/').catch((error: unknown) => error);

    expect((failure as Error).cause).toBeInstanceOf(NetworkInUnitTestError);
  });
});
