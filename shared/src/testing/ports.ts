import { connect, createServer } from 'node:net';

// Node built-ins only: `pnpm run doctor` reaches this through redis-server.ts.

/**
 * A port nothing listens on at the moment of asking. Only then: until a server binds it, another
 * process may take it (startStageServer retries on a new one when that happens).
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether a NEW TCP connection to 127.0.0.1:`port` is accepted right now. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
