/** The registry auth dance: parse a WWW-Authenticate challenge, answer with Basic or a Bearer token. */
import { z } from 'zod';
import { analysisError } from '../../errors.js';
import { parseJson } from '../verify.js';
import { body, get, type HttpOptions } from './http.js';

export interface Challenge {
  /** 'basic' or 'bearer'. */
  scheme: string;
  /** Challenge parameters (realm, service, scope). */
  params: Record<string, string>;
}

export interface Credentials {
  /** User name. */
  username: string;
  /** Password or token. */
  password: string;
}

const tokenSchema = z.looseObject({ token: z.string().optional(), access_token: z.string().optional() });

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1]!.toLowerCase(), params };
}

export function basic(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

/** Turns a challenge into an Authorization header value, fetching a token when asked for one. */
export async function authorize(challenge: Challenge, scope: string, creds: Credentials | undefined, http: HttpOptions, label: string): Promise<string> {
  if (challenge.scheme === 'basic') {
    if (!creds) throw analysisError(`${label}: registry requires a user name and password (--username/--password or AIRLOCK_REGISTRY_USERNAME/PASSWORD)`);
    return basic(creds);
  }
  if (challenge.scheme !== 'bearer') throw analysisError(`${label}: unsupported auth scheme '${challenge.scheme}'`);
  const realm = challenge.params.realm;
  if (!realm) throw analysisError(`${label}: bearer challenge without a realm`);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? scope);
  const res = await get(url, creds ? { Authorization: basic(creds) } : {}, http, label);
  const data = await body(res, 1 << 20, `${label}: token`);
  if (res.statusCode !== 200) throw analysisError(`${label}: token service refused (${res.statusCode}); check the credentials`);
  const parsed = tokenSchema.safeParse(parseJson(data, `${label}: token response`));
  const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
  if (!token) throw analysisError(`${label}: token response holds no token`);
  return `Bearer ${token}`;
}
