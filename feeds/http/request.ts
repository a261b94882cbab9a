import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';

/** One response as it arrives: status, lower-cased headers and the decoded body stream. */
export interface RawResponse {
  /** HTTP status code. */
  status: number;
  /** Headers, lower-cased names, repeated ones joined with ", ". */
  headers: Record<string, string>;
  /** The body, already gunzipped/inflated/brotli-decoded when the server encoded it. */
  body: Readable;
}

/** Thrown when the TCP/TLS connection is not up within the connect timeout. */
export class ConnectTimeoutError extends Error {
  /** Marks it transient like the kernel's own ETIMEDOUT. */
  readonly code = 'ETIMEDOUT';
}

/** Sends one GET and resolves once the response headers are in. */
export function sendGet(url: URL, headers: Record<string, string>, connectTimeoutMs: number, signal: AbortSignal): Promise<RawResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: 'GET', headers, signal });
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => req.destroy(new ConnectTimeoutError(`connect timeout after ${connectTimeoutMs} ms`)), connectTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined) continue;
        flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      resolve({ status: res.statusCode ?? 0, headers: flat, body: decode(res, flat['content-encoding']) });
    });
    req.end();
  });
}

/** Undoes Content-Encoding; errors of the raw stream travel into the decoder. */
function decode(res: http.IncomingMessage, encoding: string | undefined): Readable {
  const codec = encoding?.trim().toLowerCase();
  const decoder =
    codec === 'gzip' || codec === 'x-gzip'
      ? zlib.createGunzip()
      : codec === 'deflate'
        ? zlib.createInflate()
        : codec === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return res;
  res.once('error', (err) => decoder.destroy(err));
  return res.pipe(decoder);
}

/** Thrown when a body outgrows the size cap. */
export class BodyTooLargeError extends Error {}

/** Passes bytes through, failing once more than `maxBytes` went by (decoded bytes: a gzip bomb stops too). */
export function sizeLimit(maxBytes: number, onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > maxBytes) {
        callback(new BodyTooLargeError(`body larger than the ${maxBytes}-byte cap`));
        return;
      }
      onBytes(total);
      callback(null, chunk);
    },
  });
}
