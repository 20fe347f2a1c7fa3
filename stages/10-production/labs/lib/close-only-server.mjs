// The shutdown most servers ship, for lab:shutdown to compare with src/lifecycle/shutdown.ts:
// on SIGTERM, say `Connection: close` on every answer from now on, wait the drain delay, then
// server.close() — which since Node 19 also destroys every keep-alive connection it sees as idle,
// including one whose next request is already in the kernel's buffer, unread. Stages 03–09
// stopped this way before they got stage 10's recipe. Plain node:http, a few ms of work per request.
import { createServer } from 'node:http';

let draining = false;
const server = createServer((req, res) => {
  if (draining) res.setHeader('Connection', 'close');
  setTimeout(() => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ data: { path: req.url } }));
  }, 3);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  draining = true;
  setTimeout(
    () => server.close(() => process.exit(0)),
    Number(process.env.SHUTDOWN_DRAIN_DELAY_MS ?? 0),
  );
});
