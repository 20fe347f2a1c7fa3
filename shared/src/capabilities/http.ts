import { type IncomingHttpHeaders, request } from 'node:http';

/** Every route of every stage lives under this prefix (stage 01 on). */
export const API = '/api/v1';

/** One answer, kept whole, so a failed expectation can show what the server really said. */
export interface Answer {
  /** `POST /api/v1/tickets`: how failures name the request. */
  request: string;
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: a check reads a body whose shape it is there to prove, and guards each read with an expectation
  body: any;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is (set the Content-Type yourself). */
  raw?: string | Buffer;
}

/**
 * One request over a connection of its own (`agent: false`), closed once answered: node:http
 * rather than fetch, because
 * these checks send what fetch would refuse or rewrite (any Origin, a body past the limit that
 * the server answers before reading) and read every header as sent.
 */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Answer> {
  const url = new URL(path, baseUrl);
  // Keep-alive, as browsers and client libraries ask: so a `Connection: close` in the answer is
  // the server's own decision (after a 413, say), not an echo of ours.
  const headers: Record<string, string> = { Connection: 'keep-alive', ...options.headers };
  let payload: string | Buffer | undefined = options.raw;
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  const name = `${method} ${path}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        req.destroy(); // the connection is this request's alone (agent: false)
        const text = Buffer.concat(chunks).toString('utf8');
        const json = /\bjson\b/.test(res.headers['content-type'] ?? '') && text !== '';
        resolve({
          request: name,
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body: json ? JSON.parse(text) : undefined,
        });
      });
    });
    // A server that answers before reading the whole body (413) may close while we still write:
    // the answer counts, the broken pipe after it does not.
    req.on('error', (error) => {
      if (!answered) reject(new Error(`${name}: ${error.message}`));
    });
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.end(payload);
  });
}

/** A header as one string (a repeated one joined by ", "), or undefined. */
export function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Why a check failed, with the request and what came back. */
export class CapabilityError extends Error {
  override name = 'CapabilityError';
}

function shown(answer: Answer): string {
  const text = answer.text.length > 400 ? `${answer.text.slice(0, 400)}…` : answer.text;
  return `${answer.request} → ${answer.status}${text ? ` ${text}` : ' (no body)'}`;
}

/** Fails with `expectation` and the answer, unless `holds`. */
export function expectThat(holds: boolean, answer: Answer, expectation: string): void {
  if (!holds) throw new CapabilityError(`${expectation}\n  got: ${shown(answer)}`);
}

/** Fails with `expectation` unless `holds`: for facts that are no single answer (a log, a count). */
export function expectFact(holds: boolean, expectation: string): void {
  if (!holds) throw new CapabilityError(expectation);
}

export function expectStatus(answer: Answer, status: number, what = ''): void {
  expectThat(answer.status === status, answer, `expected ${status}${what ? ` (${what})` : ''}`);
}

/** The error envelope with this status and code: `{ "error": { "code", "message" } }`. */
export function expectError(answer: Answer, status: number, code: string): void {
  expectStatus(answer, status, code);
  const error = answer.body?.error;
  expectThat(
    typeof error === 'object' && error !== null && typeof error.message === 'string',
    answer,
    'expected the error envelope { "error": { "code", "message" } }',
  );
  expectThat(error.code === code, answer, `expected error.code ${code}`);
}

export function expectHeader(answer: Answer, name: string, wanted: string | RegExp): void {
  const value = header(answer, name);
  const holds =
    value !== undefined && (typeof wanted === 'string' ? value === wanted : wanted.test(value));
  expectThat(
    holds,
    answer,
    `expected ${name}: ${String(wanted)}, got ${value ?? 'no such header'}`,
  );
}

export function expectNoHeader(answer: Answer, name: string): void {
  const value = header(answer, name);
  expectThat(value === undefined, answer, `expected no ${name} header, got ${name}: ${value}`);
}

/** A comma-separated header (Allow, Vary) names `item`, in any case. */
export function listsItem(answer: Answer, name: string, item: string): boolean {
  return (header(answer, name) ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .includes(item.toLowerCase());
}

/** Polls `read` until `found` holds (an access-log line is written after the answer leaves). */
export async function eventually<T>(
  read: () => T,
  found: (value: T) => boolean,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!found(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = read();
  }
  return value;
}
