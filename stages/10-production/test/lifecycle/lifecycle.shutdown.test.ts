import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createLifecycle } from '../../src/lifecycle/lifecycle.ts';
import { createShutdown } from '../../src/lifecycle/shutdown.ts';
import { captureLogs } from '../support/log-capture.ts';

/** A server whose every request takes `ms` (each answer noted in `order`); resolves once it listens. */
async function slowServer(ms: number, order: string[] = []) {
  const server = createServer((_req, res) => {
    res.once('finish', () => order.push('answered'));
    setTimeout(() => res.end('done'), ms);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    httpRequest({ port, host: '127.0.0.1', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

describe('createShutdown (src/lifecycle/shutdown.ts)', () => {
  it('When a crash triggers it during a request, then the request still finishes, resources close after it, and the exit code is 1', async () => {
    const order: string[] = [];
    const { server, port } = await slowServer(300, order);
    const exit = vi.fn((code: number) => order.push(`exit ${code}`));
    const logs = captureLogs();
    const shutDown = createShutdown({
      server,
      lifecycle: createLifecycle(),
      logger: logs.logger,
      drainDelayMs: 0,
      timeoutMs: 5000,
      resources: [{ name: 'pool', close: async () => void order.push('pool closed') }],
      exit,
    });

    const inFlight = get(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = shutDown('uncaughtException', 1);
    const second = shutDown('SIGTERM'); // a second trigger changes nothing
    const [body] = await Promise.all([inFlight, first, second]);

    expect(body).toBe('done');
    expect(order).toEqual(['answered', 'pool closed', 'exit 1']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(logs.events('shutdown.started')).toHaveLength(1);
  });

  it('When a resource fails to close, then it is logged and the exit code is 1', async () => {
    const { server } = await slowServer(0);
    const exit = vi.fn();
    const logs = captureLogs();

    await createShutdown({
      server,
      lifecycle: createLifecycle(),
      logger: logs.logger,
      drainDelayMs: 0,
      timeoutMs: 5000,
      resources: [{ name: 'pool', close: () => Promise.reject(new Error('pool stuck')) }],
      exit,
    })('SIGTERM');

    expect(exit).toHaveBeenCalledWith(1);
    expect(logs.events('shutdown.close_failed')[0]).toMatchObject({ resource: 'pool', level: 50 });
  });

  it('When shutdown begins, then the lifecycle says so before the listener closes', async () => {
    const { server } = await slowServer(0);
    const lifecycle = createLifecycle();
    const shutDown = createShutdown({
      server,
      lifecycle,
      logger: captureLogs().logger,
      drainDelayMs: 100,
      timeoutMs: 5000,
      resources: [],
      exit: () => {},
    });

    const done = shutDown('SIGTERM');
    const flaggedWhileListening = lifecycle.shuttingDown && server.listening;
    await done;

    expect(flaggedWhileListening).toBe(true);
    expect(server.listening).toBe(false);
  });
});
