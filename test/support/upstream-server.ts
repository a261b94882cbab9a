import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { zipSync } from 'fflate';

/**
 * A stand-in for the real upstreams on loopback: serves a directory of real-format fixtures at the
 * real upstream paths, answers conditional requests with 304, and fails on command so tests can
 * show retries and error messages without ever leaving 127.0.0.1.
 */

/** A request the server saw. */
export interface SeenRequest {
  /** URL path, decoded. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Request headers. */
  headers: IncomingHttpHeaders;
  /** Status answered. */
  status: number;
}

/** A canned failure, served `times` times for one path before the path behaves again. */
export interface Fault {
  /** How many requests it affects. */
  times: number;
  /** Status to answer (500, 429, or 200 with a malformed body). */
  status?: number;
  /** Extra headers, e.g. retry-after. */
  headers?: Record<string, string>;
  /** Body to send instead of the file. */
  body?: string | Buffer;
  /** Drop the connection without answering (a network error). */
  reset?: boolean;
}

/** A dynamic answer for a path (NVD's paging): undefined falls through to the files. */
export type Route = (request: { path: string; query: URLSearchParams }) => { status?: number; body: string | Buffer; headers?: Record<string, string> } | undefined;

/** The running server. */
export interface UpstreamServer {
  /** Base URL, http://127.0.0.1:<port>. */
  readonly url: string;
  /** Every request so far, in order. */
  readonly requests: SeenRequest[];
  /** Queues a fault for a path. */
  fail(path: string, fault: Fault): void;
  /** Answers a path from code instead of a file. */
  route(path: string, handler: Route): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with an ephemeral port, serving files under `root`. */
export async function startUpstreamServer(root: string): Promise<UpstreamServer> {
  const base = resolve(root);
  const faults = new Map<string, Fault[]>();
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const seen: SeenRequest = { path, query: url.searchParams, headers: req.headers, status: 0 };
    requests.push(seen);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
      seen.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    void answer(path, url.searchParams, req.headers, send, res).catch((err: unknown) => send(500, String(err)));
  });

  async function answer(
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    send: (status: number, body: string | Buffer, headers?: Record<string, string>) => void,
    res: ServerResponse,
  ): Promise<void> {
    const queued = faults.get(path);
    const fault = queued?.[0];
    if (queued !== undefined && fault !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) queued.shift();
      if (fault.reset === true) {
        res.socket?.destroy();
        return;
      }
      send(fault.status ?? 200, fault.body ?? `fault for ${path}`, fault.headers);
      return;
    }
    const routed = routes.get(path)?.({ path, query });
    const content = routed !== undefined ? Buffer.from(routed.body) : await readFixture(base, path);
    if (content === undefined) {
      send(404, 'not found');
      return;
    }
    const etag = `"${createHash('sha256').update(content).digest('hex').slice(0, 32)}"`;
    if (headers['if-none-match'] === etag) {
      send(304, '', { etag });
      return;
    }
    send(routed?.status ?? 200, content, { etag, 'content-length': String(content.length), ...routed?.headers });
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail(path, fault) {
      faults.set(path, [...(faults.get(path) ?? []), { ...fault }]);
    },
    route(path, handler) {
      routes.set(path, handler);
    },
    close() {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** Reads a fixture, refusing paths that climb out of the root. */
async function readFixture(base: string, path: string): Promise<Buffer | undefined> {
  const file = resolve(base, `.${path}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile() === true) return readFile(file);
  // OSV's <Ecosystem>/all.zip: fixtures keep the records readable as JSON files and are packed on request.
  if (info === undefined && path.endsWith('/all.zip')) return packDirectory(file.slice(0, -'/all.zip'.length));
  return undefined;
}

/** The JSON files of a directory as a zip, byte-identical on every call so ETags stay stable. */
export async function packDirectory(dir: string): Promise<Buffer | undefined> {
  const names = await readdir(dir).catch(() => undefined);
  if (names === undefined) return undefined;
  const mtime = new Date('2024-01-01T00:00:00Z');
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) files[name] = [await readFile(join(dir, name)), { mtime }];
  return Buffer.from(zipSync(files));
}
