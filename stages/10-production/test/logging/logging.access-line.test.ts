import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { testPool } from '../support/db-helpers.ts';
import { buildApp, request } from '../support/helpers.ts';
import type { LogCapture, LogLine } from '../support/log-capture.ts';

const CLIENT = '203.0.113.7'; // TEST-NET-3: an address no test machine has

/** Resolves with the lines of `event` once there are some (the line is written after the answer). */
async function eventually(logs: LogCapture, event: string): Promise<LogLine[]> {
  for (let waited = 0; waited < 2000; waited += 20) {
    const lines = logs.events(event);
    if (lines.length > 0) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [];
}

describe('The access line: who asked', () => {
  it('When the client comes through a trusted proxy, then the line names the client (req.ip), not the proxy', async () => {
    const { app, deps } = buildApp({ config: { trustProxyHops: 1 } });

    await supertest(app).get('/api/v1/health').set('X-Forwarded-For', CLIENT).expect(200);

    const [line] = deps.logs.events('http.request.completed');
    expect(line?.req).toEqual({ method: 'GET', url: '/api/v1/health', ip: CLIENT });
  });

  it('When no proxy is trusted, then an X-Forwarded-For the client wrote does not change the address logged', async () => {
    const { app, deps } = buildApp({ config: { trustProxyHops: 0 } });

    await supertest(app).get('/api/v1/health').set('X-Forwarded-For', CLIENT).expect(200);

    const [line] = deps.logs.events('http.request.completed');
    // The address the connection really came from: this machine's loopback.
    expect(line?.req).toEqual({
      method: 'GET',
      url: '/api/v1/health',
      ip: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/),
    });
  });
});

describe('The access line: how it ended', () => {
  it('When a handler fails (5xx), then the line is an error, http.request.failed, with the request id', async () => {
    const tickets = {
      ...createPgTicketRepository(testPool()),
      list: async (): Promise<never> => {
        throw new Error('the disk is on fire');
      },
    };
    const { app, deps } = buildApp({ tickets });

    const res = await request(app).get('/api/v1/tickets').set('X-Request-Id', 'trace-fails');

    expect(res.status).toBe(500);
    const lines = deps.logs.lines().filter((line) => line.requestId === 'trace-fails');
    expect(lines.map((line) => line.event)).toEqual(['http.handler.failed', 'http.request.failed']);
    expect(lines[1]).toMatchObject({
      level: 50,
      msg: 'GET /api/v1/tickets 500',
      req: { method: 'GET', url: '/api/v1/tickets' },
      res: { statusCode: 500 },
      responseTime: expect.any(Number),
    });
  });

  describe('with a client that leaves', () => {
    let close: (() => void) | undefined;
    afterEach(() => close?.());

    it('When the client goes away before the answer, then the line says aborted, with the request id', async () => {
      const { app, deps } = buildApp();
      const server = app.listen(0, '127.0.0.1');
      close = () => server.close();
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;

      // A body announced as 100 bytes, 12 sent, then the connection closed: the upload the
      // client gave up on. The server never answers it.
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        'POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: trace-aborted\r\n' +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"subject":',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();

      const [line] = await eventually(deps.logs, 'http.request.aborted');
      expect(line).toMatchObject({
        level: 40,
        requestId: 'trace-aborted',
        msg: 'POST /api/v1/tickets aborted',
        req: { method: 'POST', url: '/api/v1/tickets' },
      });
      // Nothing broke on our side: no error line, and no status, since none was sent.
      expect(deps.logs.lines()).toHaveLength(1);
      expect(line?.res).toBeUndefined();
    });
  });
});
