import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

// A TCP proxy in front of the database that holds every chunk for `delayMs` in each direction:
// localhost's ~0.05 ms round trip becomes what a network costs. Node timers have 1 ms
// granularity, so 1 ms each way ≈ 2 ms per round trip (an app and its database in different
// availability zones, or a managed database reached over a VPN, look like this).
export async function startLatencyProxy(databaseUrl: string, delayMs: number) {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const delayed = (to: Socket) => (chunk: Buffer) => {
    setTimeout(() => to.writable && to.write(chunk), delayMs);
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', delayed(upstream));
    upstream.on('data', delayed(client));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as { port: number }).port);
  return {
    url: proxied.toString(),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
