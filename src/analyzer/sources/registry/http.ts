/** Minimal HTTP(S) GET over node:http with a custom CA, redirects and capped bodies. */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { analysisError } from '../../errors.js';
import { readAll } from '../verify.js';

export interface HttpOptions {
  /** PEM CA certificates to trust (replaces the system store for this request). */
  ca?: Buffer;
}

const maxRedirects = 5;

/** GETs a URL following redirects; Authorization is dropped when a redirect changes host. */
export async function get(url: URL, headers: Record<string, string>, options: HttpOptions, label: string): Promise<IncomingMessage> {
  let current = url;
  let sendHeaders = headers;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const res = await once(current, sendHeaders, options, label);
    const location = res.headers.location;
    if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
      res.resume();
      const next = new URL(location, current);
      if (next.host !== current.host) {
        const { Authorization: _dropped, ...rest } = sendHeaders;
        sendHeaders = rest;
      }
      current = next;
      continue;
    }
    return res;
  }
  throw analysisError(`${label}: too many redirects`);
}

function once(url: URL, headers: Record<string, string>, options: HttpOptions, label: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(analysisError(`${label}: cannot reach ${url.host}: ${err.code ?? err.message}`, err));
    if (url.protocol === 'https:') {
      const req = httpsRequest(url, { headers, ...(options.ca ? { ca: options.ca } : {}) }, resolve);
      req.on('error', fail).end();
      return;
    }
    if (url.protocol !== 'http:') {
      reject(analysisError(`${label}: unsupported URL scheme in ${url.href}`));
      return;
    }
    httpRequest(url, { headers }, resolve).on('error', fail).end();
  });
}

/** Reads a response body whole, capped. */
export function body(res: IncomingMessage, max: number, label: string): Promise<Buffer> {
  return readAll(res, max, label);
}
