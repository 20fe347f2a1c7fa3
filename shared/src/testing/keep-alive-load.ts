import { Agent, request as httpRequest } from 'node:http';

/** One request of the load: built afresh each time (a new body, a new Idempotency-Key…). */
export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What happened to every request sent, counted. */
export interface LoadReport {
  /** Answers by status code. */
  statuses: Record<number, number>;
  /** Requests that got no answer, by error code (ECONNREFUSED, ECONNRESET…). */
  errors: Record<string, number>;
  /** Answers that said `Connection: close`. */
  closing: number;
  /** Answers by status and `method path` (the first line of the request). */
  byRequest: Record<string, Record<number, number>>;
}

export interface KeepAliveLoad {
  /** The counts so far (a copy). */
  report(): LoadReport;
  /** Stops sending; resolves with the counts once every request in flight has ended. */
  stop(): Promise<LoadReport>;
  /** Resolves once a connection was refused (the listener is closed: nothing more to send to). */
  refused: Promise<void>;
}

/**
 * A client as a service calling another directly behaves: `connections` keep-alive connections,
 * each sending its next request the moment the last answer is in (Node's own Agent: it honours
 * `Connection: close` and never reuses a socket the server closed). No retries: every request
 * that fails is counted. `stopOnRefused`: a connection stops sending once it was refused.
 */
export function keepAliveLoad(options: {
  url: string;
  connections: number;
  next: (n: number) => LoadRequest;
  stopOnRefused?: boolean;
}): KeepAliveLoad {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const report: LoadReport = { statuses: {}, errors: {}, closing: 0, byRequest: {} };
  let stopping = false;
  let sent = 0;
  let onRefused: () => void = () => {};
  const refused = new Promise<void>((resolve) => {
    onRefused = resolve;
  });

  const send = (wanted: LoadRequest) =>
    new Promise<'answered' | 'refused' | 'failed'>((resolve) => {
      const name = `${wanted.method ?? 'GET'} ${wanted.path.split('?')[0]}`;
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: wanted.method ?? 'GET',
          path: wanted.path,
          headers: wanted.headers,
          agent,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          report.statuses[status] = (report.statuses[status] ?? 0) + 1;
          const mine = report.byRequest[name] ?? {};
          mine[status] = (mine[status] ?? 0) + 1;
          report.byRequest[name] = mine;
          if (res.headers.connection === 'close') report.closing += 1;
          res.resume();
          res.once('end', () => resolve('answered'));
          // The answer was cut short (its connection reset mid-body): a failure too.
          res.once('error', (error: NodeJS.ErrnoException) => {
            const code = `${error.code ?? error.message} (mid-answer)`;
            report.errors[code] = (report.errors[code] ?? 0) + 1;
            resolve('failed');
          });
        },
      );
      req.once('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        report.errors[code] = (report.errors[code] ?? 0) + 1;
        resolve(code === 'ECONNREFUSED' ? 'refused' : 'failed');
      });
      req.end(wanted.body);
    });

  const loops = Array.from({ length: options.connections }, async () => {
    while (!stopping) {
      const outcome = await send(options.next(sent++));
      if (outcome === 'refused') {
        onRefused();
        if (options.stopOnRefused) return;
        // Nothing listens there right now: do not spin on refusals.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });

  const copy = (): LoadReport => structuredClone(report);
  return {
    report: copy,
    refused,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
      return copy();
    },
  };
}
