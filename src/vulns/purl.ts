/**
 * Package URL parsing (github.com/package-url/purl-spec): pkg:type/namespace/name@version?qualifiers#subpath.
 * SBOM input is untrusted, so every structural rule the spec states is checked and a broken purl
 * is reported with the reason instead of being guessed at.
 */

/** A parsed package URL with its components percent-decoded. */
export interface Purl {
  /** Lower-cased type: npm, pypi, golang, maven, deb, apk, rpm, ... */
  type: string;
  /** Namespace segments joined with '/', or undefined. */
  namespace: string | undefined;
  /** Package name. */
  name: string;
  /** Version, or undefined when the purl names none. */
  version: string | undefined;
  /** Qualifiers with lower-cased keys. */
  qualifiers: Record<string, string>;
}

/** A purl or why the text is not one. */
export type PurlResult = { ok: true; purl: Purl } | { ok: false; reason: string };

const typePattern = /^[a-z.+-][a-z0-9.+-]*$/;
const qualifierKey = /^[a-z.\-_][a-z0-9.\-_]*$/;

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new PurlError(`${what} ${JSON.stringify(part)} has a malformed percent-encoding`);
  }
}

class PurlError extends Error {}

function parseQualifiers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new PurlError(`qualifier ${JSON.stringify(pair)} is not key=value`);
    const key = pair.slice(0, eq).toLowerCase();
    if (!qualifierKey.test(key)) throw new PurlError(`qualifier key ${JSON.stringify(key)} has characters the spec does not allow`);
    if (key in out) throw new PurlError(`qualifier ${key} appears twice`);
    const value = decode(pair.slice(eq + 1), `qualifier ${key}`);
    if (value !== '') out[key] = value;
  }
  return out;
}

function parseStrict(text: string): Purl {
  if (!/^pkg:/i.test(text)) throw new PurlError("does not start with 'pkg:'");
  let rest = text.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const qualifiers = question >= 0 ? parseQualifiers(rest.slice(question + 1)) : {};
  if (question >= 0) rest = rest.slice(0, question);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new PurlError('has no type/name part');
  const type = rest.slice(0, slash).toLowerCase();
  if (!typePattern.test(type)) throw new PurlError(`type ${JSON.stringify(type)} has characters the spec does not allow`);
  let path = rest.slice(slash + 1).replace(/\/+$/, '');
  // The version follows the last '@'; an npm scope's '@' is percent-encoded or sits in the namespace.
  const at = path.lastIndexOf('@');
  let version: string | undefined;
  if (at > path.lastIndexOf('/')) {
    version = decode(path.slice(at + 1), 'version');
    if (version === '') throw new PurlError("has an empty version after '@'");
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter((s) => s !== '').map((s) => decode(s, 'path segment'));
  const name = segments.pop();
  if (name === undefined || name === '') throw new PurlError('has no name');
  if (segments.some((s) => s.includes('/'))) throw new PurlError('a namespace segment contains an encoded /');
  const namespace = segments.length > 0 ? segments.join('/') : undefined;
  if (type === 'maven' && namespace === undefined) throw new PurlError('maven purls need a namespace (the group id)');
  return { type, namespace, name, version, qualifiers };
}

/** Parses a purl; never throws. */
export function parsePurl(text: string): PurlResult {
  if (text.length > 4096) return { ok: false, reason: `longer than 4096 characters (${text.length})` };
  if (/[\s\u0000-\u001f]/.test(text)) return { ok: false, reason: 'contains whitespace or control characters' };
  try {
    return { ok: true, purl: parseStrict(text) };
  } catch (err) {
    if (err instanceof PurlError) return { ok: false, reason: err.message };
    throw err;
  }
}
