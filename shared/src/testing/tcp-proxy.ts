import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to PostgreSQL that a test can cut, stall and restore: what a network partition, a
 * database failover or a host that vanished looks like to the app, without touching the shared
 * database.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let stalled = false;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => {});
        // Stalled: the connection opens and then nothing ever answers.
        if (stalled) return void client.on('data', () => {});
        const upstream = connect(target.port, target.host);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => {});
        // Each chunk is forwarded unless the proxy stalled: then it is dropped, as a network
        // that lost the route drops packets, and neither side hears a thing.
        client.on('data', (chunk) => stalled || upstream.write(chunk));
        upstream.on('data', (chunk) => stalled || client.write(chunk));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        const address = server?.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  return {
    port,
    /** Refuses new connections and kills the open ones. */
    async cut() {
      await new Promise((resolve) => {
        server?.close(resolve);
        for (const socket of sockets) socket.destroy();
      });
    },
    /**
     * Keeps every connection open but forwards nothing any more, either way: no error, no close,
     * no answer. The app's own clocks are all that can end its wait.
     */
    stall() {
      stalled = true;
    },
    /** Listens again on the same port (after cut), and forwards again (after stall). */
    async restore() {
      stalled = false;
      if (!server?.listening) await listen(port);
    },
    close() {
      return new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server?.close(resolve);
      });
    },
  };
}
