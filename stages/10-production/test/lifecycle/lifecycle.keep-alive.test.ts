import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { closeConnectionsWhenDraining, createLifecycle } from '../../src/lifecycle/lifecycle.ts';
import { createShutdown } from '../../src/lifecycle/shutdown.ts';
import { captureLogs } from '../support/log-capture.ts';

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

/** A server answering every request with `ok` (Connection: close once draining), and its shutdown. */
async function serverWithShutdown(drainDelayMs: number, idleGraceMs?: number) {
  const lifecycle = createLifecycle();
  const app = express();
  app.use(closeConnectionsWhenDraining(lifecycle)); // middleware 0, as in app.ts
  app.get('/', (_req, res) => void res.send('ok'));
  app.get('/slow', (_req, res) => void setTimeout(() => res.send('slow ok'), 300));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const exited: number[] = [];
  const shutDown = createShutdown({
    server,
    lifecycle,
    logger: captureLogs().logger,
    drainDelayMs,
    idleGraceMs,
    timeoutMs: 5000,
    resources: [],
    exit: (code) => exited.push(code),
  });
  return { server, port: (server.address() as AddressInfo).port, shutDown, exited };
}

/** What a raw client socket receives until the server closes it, and how it ended. */
function record(socket: Socket) {
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  const ended = new Promise<{ received: string; error?: string }>((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ received, error: error.code }),
    );
    socket.once('close', () => resolve({ received }));
  });
  return { ended, received: () => received };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The moment the race needs, made certain: the client's request is already in the server's
 * socket buffer, and the event loop is busy (as it is under load) until the timers phase, where
 * shutdown's close runs before the poll phase could read the request.
 */
function sendWhileTheLoopIsBusy(socket: Socket, startShutdown: () => unknown): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      socket.write(GET); // on loopback: in the server's receive buffer at once
      startShutdown();
      const busyUntil = Date.now() + 5; // past setTimeout(0)'s 1 ms: timers run before poll
      while (Date.now() < busyUntil);
      resolve();
    });
  });
}

let servers: Server[] = [];
afterEach(() => {
  for (const server of servers) server.closeAllConnections();
  servers = [];
});

describe('shutdown and keep-alive connections (src/lifecycle/shutdown.ts)', () => {
  it('When a keep-alive client sends its next request just as SIGTERM arrives, then that request is answered (with Connection: close), not reset', async () => {
    const { server, port, shutDown, exited } = await serverWithShutdown(0);
    servers.push(server);
    const socket = connect({ port, host: '127.0.0.1' });
    const client = record(socket);
    socket.write(GET);
    await until(() => client.received().includes('ok')); // answered, kept alive: idle now

    await sendWhileTheLoopIsBusy(socket, () => shutDown('SIGTERM'));
    const { received, error } = await client.ended;

    expect(error).toBeUndefined();
    const answers = received.split('HTTP/1.1 200 OK').slice(1);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatch(/\r\nConnection: close\r\n/i);
    await until(() => exited.length > 0);
    expect(exited).toEqual([0]);
  });

  it('When a connection was accepted but its first request not read yet as the listener closes, then that request is answered, not reset', async () => {
    const { server, port, shutDown, exited } = await serverWithShutdown(0);
    servers.push(server);
    let accepted = false;
    server.once('connection', () => (accepted = true));
    const socket = connect({ port, host: '127.0.0.1' });
    const client = record(socket);
    await until(() => accepted);

    await sendWhileTheLoopIsBusy(socket, () => shutDown('SIGTERM'));
    const { received, error } = await client.ended;

    expect(error).toBeUndefined();
    expect(received).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    await until(() => exited.length > 0);
    expect(exited).toEqual([0]);
  });

  it('When a request is already running as shutdown begins, then its answer says Connection: close and the connection closes after it', async () => {
    const { server, port, shutDown, exited } = await serverWithShutdown(0);
    servers.push(server);
    const socket = connect({ port, host: '127.0.0.1' });
    const client = record(socket);
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100)); // running, not answered yet

    void shutDown('SIGTERM');
    const { received, error } = await client.ended;

    expect(error).toBeUndefined();
    expect(received).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received).toMatch(/slow ok$/);
    await until(() => exited.length > 0);
    expect(exited).toEqual([0]);
  });

  it('When a keep-alive connection stays silent after the listener closed, then it is closed after the grace and the shutdown completes', async () => {
    const { server, port, shutDown, exited } = await serverWithShutdown(0, 200);
    servers.push(server);
    const socket = connect({ port, host: '127.0.0.1' });
    const client = record(socket);
    socket.write(GET);
    await until(() => client.received().includes('ok'));

    const started = Date.now();
    await shutDown('SIGTERM');
    const tookMs = Date.now() - started;
    const { error } = await client.ended;

    expect(error).toBeUndefined(); // closed (FIN), nothing unread: no reset
    expect(tookMs).toBeGreaterThanOrEqual(190);
    expect(tookMs).toBeLessThan(2000);
    expect(exited).toEqual([0]);
  });
});
