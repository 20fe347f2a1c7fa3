import net from 'node:net';
import tls from 'node:tls';

// LESSON: a unit test that opens a socket is an integration test in disguise: slower, and it fails
// for reasons (a database down, a port taken) that say nothing about the code under test. Every way
// out of this process — pg, Redis, fetch, supertest listening on a port — ends in
// net.Socket#connect, so that is where the guard stands. test/support/no-network.unit.test.ts
// proves it.
export class NetworkInUnitTestError extends Error {
  constructor(target: string) {
    super(
      `A unit test tried to open a socket (${target}). Use a fake from test/fakes/, ` +
        'or move the test to the integration suite.',
    );
    this.name = 'NetworkInUnitTestError';
  }
}

function describeTarget(args: unknown[]): string {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) {
    const { host, port, path } = first as { host?: string; port?: number; path?: string };
    return path ?? `${host ?? 'localhost'}:${port}`;
  }
  return typeof first === 'string' && Number.isNaN(Number(first))
    ? first
    : `${typeof second === 'string' ? second : 'localhost'}:${String(first)}`;
}

function refuse(...args: unknown[]): never {
  throw new NetworkInUnitTestError(describeTarget(args));
}

net.Socket.prototype.connect = refuse as typeof net.Socket.prototype.connect;
net.connect = refuse as typeof net.connect;
net.createConnection = refuse as typeof net.createConnection;
tls.connect = refuse as typeof tls.connect;
