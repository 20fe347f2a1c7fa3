// The lab's subject, in a process of its own (so the lab's own client is never the one that
// stalls): GET /ping answers at once; POST /login/sync and /login/async hash a password at
// BCRYPT_COST with bcrypt's blocking and non-blocking API. Prints its port on stdout.
import { createServer } from 'node:http';
import bcrypt from 'bcrypt';

const cost = Number(process.argv[2] ?? 12);

const server = createServer((req, res) => {
  if (req.url === '/ping') {
    res.end('pong');
  } else if (req.url === '/login/sync') {
    bcrypt.hashSync('correct-horse-battery-staple', cost); // blocks this thread ≈ 200 ms
    res.end('ok');
  } else if (req.url === '/login/async') {
    bcrypt.hash('correct-horse-battery-staple', cost).then(() => res.end('ok'));
  } else {
    res.statusCode = 404;
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : '');
});
