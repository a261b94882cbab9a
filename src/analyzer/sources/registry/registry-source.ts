/** `registry:<host>/<repo>:<tag>|@<digest>`: Docker Registry HTTP API v2. */
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { analysisError } from '../../errors.js';
import { checkLayerCount, parseConfig, resolveManifest } from '../manifest.js';
import { parsePlatform } from '../platform.js';
import type { RegistryRef } from '../reference.js';
import { mediaTypes, type Descriptor } from '../schema.js';
import type { SourceImage, SourceOptions } from '../types.js';
import { readAll, sha256Digest, verified } from '../verify.js';
import { authorize, parseChallenge, type Credentials } from './auth.js';
import { body, get, type HttpOptions } from './http.js';

const maxJsonBytes = 8 << 20;
const manifestAccept = [mediaTypes.ociIndex, mediaTypes.ociManifest, mediaTypes.dockerList, mediaTypes.dockerManifest].join(', ');

class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;
  private readonly label: string;

  constructor(
    private readonly ref: RegistryRef,
    private readonly http: HttpOptions,
    private readonly creds: Credentials | undefined,
    insecure: boolean,
  ) {
    this.base = `${insecure ? 'http' : 'https'}://${ref.host}/v2/${ref.repository}`;
    this.label = `registry ${ref.host}/${ref.repository}`;
  }

  /** GET with one retry after answering a 401 challenge. */
  async fetch(path: string, accept?: string): Promise<IncomingMessage> {
    const url = new URL(`${this.base}/${path}`);
    const headers = (): Record<string, string> => ({
      ...(accept ? { Accept: accept } : {}),
      ...(this.authorization ? { Authorization: this.authorization } : {}),
    });
    let res = await get(url, headers(), this.http, this.label);
    if (res.statusCode === 401) {
      res.resume();
      const challenge = parseChallenge(res.headers['www-authenticate']);
      if (!challenge) throw analysisError(`${this.label}: 401 without an auth challenge`);
      this.authorization = await authorize(challenge, `repository:${this.ref.repository}:pull`, this.creds, this.http, this.label);
      res = await get(url, headers(), this.http, this.label);
      if (res.statusCode === 401) {
        res.resume();
        throw analysisError(`${this.label}: authentication failed; check the user name and password`);
      }
    }
    if (res.statusCode === 404) {
      res.resume();
      throw analysisError(`${this.label}: not found: ${path}`);
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw analysisError(`${this.label}: GET ${path} answered ${res.statusCode}`);
    }
    return res;
  }

  async manifest(reference: string): Promise<{ data: Buffer; digest: string }> {
    const res = await this.fetch(`manifests/${reference}`, manifestAccept);
    const data = await body(res, maxJsonBytes, `${this.label}: manifest`);
    const digest = sha256Digest(data);
    const claimed = reference.startsWith('sha256:') ? reference : res.headers['docker-content-digest'];
    if (typeof claimed === 'string' && claimed !== digest) {
      throw analysisError(`${this.label}: digest mismatch: manifest ${reference} hashes to ${digest}, expected ${claimed}`);
    }
    return { data, digest };
  }

  async blob(d: Descriptor): Promise<AsyncIterable<Buffer>> {
    return verified(await this.fetch(`blobs/${d.digest}`), d.digest, d.size, this.label);
  }
}

export async function openRegistry(ref: RegistryRef, options: SourceOptions): Promise<SourceImage> {
  const ca = options.caFile ? await readFile(options.caFile).catch(() => undefined) : undefined;
  if (options.caFile && !ca) throw analysisError(`cannot read CA file ${options.caFile}`);
  const creds = options.username !== undefined ? { username: options.username, password: options.password ?? '' } : undefined;
  const client = new RegistryClient(ref, ca ? { ca } : {}, creds, options.insecure);
  const label = `registry ${ref.host}/${ref.repository}`;
  const top = await client.manifest(ref.digest ?? ref.tag!);
  const fetchManifest = async (d: Descriptor) => {
    const m = await client.manifest(d.digest);
    return m.data;
  };
  const resolved = await resolveManifest(top.data, top.digest, fetchManifest, parsePlatform(options.platform), label);
  const configData = await readAll(await client.blob(resolved.manifest.config), maxJsonBytes, `${label}: config`);
  const config = parseConfig(configData, label);
  checkLayerCount(config, resolved.manifest.layers.length, label);
  return {
    manifestDigest: resolved.digest,
    manifest: resolved.raw,
    configDigest: resolved.manifest.config.digest,
    config,
    tags: ref.tag ? [`${ref.host}/${ref.repository}:${ref.tag}`] : [],
    layers: resolved.manifest.layers.map((d) => ({
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      verifiedDigest: d.digest,
      open: () => client.blob(d),
    })),
  };
}
