// lab:stack-cost's second part: this stage's request logging alone, in a bare Express app that
// answers GET /api/v1/tickets/:id with a ticket from memory (one await, as a handler waits for
// its database), so that what logging costs is most of what the process does and the lab can
// weigh it. LAB_LOGGING chooses what sits after requestId(), where app.ts puts its logging:
//   off          nothing: the baseline
//   stage        this stage's access line + request context (middleware/access-log.ts)
//   context      the request context alone (what ACCESS_LOG=false keeps)
//   pino-redact  this stage's access line on a logger that redacts with pino's own `redact`
//                paths (the same secrets) instead of logging/logger.ts's key walk
//   pino-http    pino-http with its defaults (`pinoHttp()`: its own logger, pino's defaults)
// Every variant writes its lines to stdout, as the real server does.
import { setImmediate } from 'node:timers/promises';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { accessLog } from '../../src/middleware/access-log.ts';
import { requestId } from '../../src/middleware/request-id.ts';

const VARIANTS = ['off', 'stage', 'context', 'pino-redact', 'pino-http'] as const;
const variant = process.env.LAB_LOGGING ?? 'stage';
if (!(VARIANTS as readonly string[]).includes(variant)) {
  throw new Error(`LAB_LOGGING must be one of ${VARIANTS.join(', ')}; got ${variant}`);
}

const config = loadConfig();
const logger = createLogger({ ...config.log, pretty: false });
// pino's `redact` for the secrets logging/logger.ts censors by name: at the top, one level down
// under any key (a wildcard path), and in the headers.
const SECRETS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
];
const pinoRedacting = () =>
  pino({
    level: config.log.level,
    base: { service: 'backend-path-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        ...SECRETS,
        ...[...SECRETS, 'authorization', 'passwordHash'].map((key) => `*.${key}`),
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["idempotency-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[REDACTED]',
    },
    serializers: { err: pino.stdSerializers.errWithCause },
  });
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(requestId());
if (variant === 'stage') app.use(accessLog(logger));
if (variant === 'context') app.use(accessLog(logger, { line: false }));
if (variant === 'pino-redact') app.use(accessLog(pinoRedacting()));
if (variant === 'pino-http') app.use(pinoHttp());
app.get('/api/v1/tickets/:id', async (req, res) => {
  await setImmediate(); // the database's turn, in the real app
  res.json({
    data: {
      id: req.params.id,
      subject: 'Measure me',
      priority: 'high',
      status: 'open',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
});
app.listen(config.port, () => {
  logger.info({ event: 'server.listening', port: config.port }); // the harness waits for it
});
