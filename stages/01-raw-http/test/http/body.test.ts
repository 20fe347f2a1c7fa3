import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../src/errors.ts';
import { readJsonBody } from '../../src/http/body.ts';

const LIMIT = 100;

/** A fake request: a stream we write to by hand, with the headers we choose. */
function fakeRequest(headers: Record<string, string>): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as PassThrough & IncomingMessage;
}

// HTTP/1.1 sends a body of unknown length chunked: without this header there is no body at all.
const CHUNKED = { 'transfer-encoding': 'chunked' };
const JSON_HEADERS = { 'content-type': 'application/json', ...CHUNKED };

describe('readJsonBody', () => {
  it('When the body is JSON split over several chunks, then it is parsed', async () => {
    const req = fakeRequest(JSON_HEADERS);
    const body = readJsonBody(req, LIMIT);

    req.write('{"subject":');
    req.end('"Hi"}');

    await expect(body).resolves.toEqual({ subject: 'Hi' });
  });

  it('When a multi-byte character is split between two chunks, then it is decoded intact', async () => {
    const req = fakeRequest(JSON_HEADERS);
    const bytes = Buffer.from('{"subject":"Café"}');
    const body = readJsonBody(req, LIMIT);

    const cut = bytes.indexOf(0xa9); // the second byte of "é"
    req.write(bytes.subarray(0, cut));
    req.end(bytes.subarray(cut));

    await expect(body).resolves.toEqual({ subject: 'Café' });
  });

  it('When Content-Length announces more than the limit, then 413 at once, without waiting for the body', async () => {
    const req = fakeRequest({ ...JSON_HEADERS, 'content-length': String(LIMIT + 1) });

    // Nothing is ever written: a parser that waited for the body would never settle.
    await expect(readJsonBody(req, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('When a body without Content-Length grows past the limit, then 413 as soon as it does', async () => {
    const req = fakeRequest(JSON_HEADERS);
    const body = readJsonBody(req, LIMIT);

    req.write('x'.repeat(LIMIT));
    req.write('x'); // one byte too many; the stream is never ended

    await expect(body).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('When the body is exactly at the limit, then it is read', async () => {
    const req = fakeRequest(JSON_HEADERS);
    const text = JSON.stringify({ subject: 'x'.repeat(LIMIT - 14) });
    const body = readJsonBody(req, LIMIT);

    req.end(text);

    expect(Buffer.byteLength(text)).toBe(LIMIT);
    await expect(body).resolves.toEqual(JSON.parse(text));
  });

  it.each<Record<string, string>>([
    { ...CHUNKED },
    { 'content-type': 'text/plain', ...CHUNKED },
    { 'content-type': 'application/json-patch+json', 'content-length': '2' },
  ])('When the headers are %j, then 415 before reading anything', async (headers) => {
    const req = fakeRequest(headers);

    await expect(readJsonBody(req, LIMIT)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it.each(['{', '{"a":1}}', 'undefined', ' '])(
    'When the body is %j, then MALFORMED_JSON',
    async (text) => {
      const req = fakeRequest(JSON_HEADERS);
      const body = readJsonBody(req, LIMIT);

      req.end(text);

      await expect(body).rejects.toBeInstanceOf(MalformedJsonError);
    },
  );

  // A frontend's fetch wrapper sets Content-Type: application/json on every request, bodies or not.
  it.each<[string, Record<string, string>]>([
    ['Content-Length: 0 and a JSON Content-Type', { ...JSON_HEADERS, 'content-length': '0' }],
    ['Content-Length: 0 and no Content-Type', { 'content-length': '0' }],
    ['neither Content-Length nor Transfer-Encoding', { 'content-type': 'application/json' }],
  ])('When the request has %s, then there is no body: undefined', async (_case, headers) => {
    const req = fakeRequest(headers);

    await expect(readJsonBody(req, LIMIT)).resolves.toBeUndefined();
  });

  it('When a chunked JSON body ends without a single byte, then there is no body: undefined', async () => {
    const req = fakeRequest(JSON_HEADERS);
    const body = readJsonBody(req, LIMIT);

    req.end();

    await expect(body).resolves.toBeUndefined();
  });
});
