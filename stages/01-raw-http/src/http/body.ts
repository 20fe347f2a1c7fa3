import type { IncomingMessage } from 'node:http';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

// LESSON: a request body is a stream the client controls. Count bytes as they arrive and stop
// at the limit; buffering "until the end" lets one client fill your memory.
function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    function cleanUp(): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    }
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > limitBytes) {
        cleanUp();
        req.resume(); // discard the rest without keeping it; the 413 closes the connection
        reject(new PayloadTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      cleanUp();
      resolve(Buffer.concat(chunks).toString('utf8'));
    }
    function onError(error: Error): void {
      cleanUp();
      reject(error);
    }

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** No Content-Length and no Transfer-Encoding, or `Content-Length: 0`: no body was sent. */
function announcesNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === undefined
    ? req.headers['transfer-encoding'] === undefined
    : Number(length) === 0;
}

/**
 * Reads and parses a JSON body: 415, then 413 (declared, then counted), then 400.
 * An empty body is no body, whatever its Content-Type (fetch wrappers send the header on every
 * request): `undefined`, which a route that needs a body rejects as it would a missing one.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (announcesNoBody(req)) return undefined;
  if (!isJson(req.headers['content-type'])) {
    throw new UnsupportedMediaTypeError();
  }
  // An honest client announces its size: refuse before reading a single byte.
  if (Number(req.headers['content-length']) > limitBytes) {
    req.resume();
    throw new PayloadTooLargeError(limitBytes);
  }
  const text = await readText(req, limitBytes);
  if (text === '') return undefined; // chunked, but not a single byte
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedJsonError();
  }
}
