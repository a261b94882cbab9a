/**
 * Package URLs (purl spec): type, optional namespace, name, version, sorted qualifiers.
 * Components are percent-encoded; ':' stays readable in versions because epochs are common.
 */

/** Parts of a package URL. */
export interface PurlParts {
  /** purl type: deb, apk, rpm, npm, pypi, gem, maven, golang. */
  type: string;
  /** Namespace, possibly several segments separated by '/'. */
  namespace?: string | undefined;
  /** Package name. */
  name: string;
  /** Version as installed. */
  version?: string | undefined;
  /** Qualifiers; undefined or empty values are left out. */
  qualifiers?: Record<string, string | undefined>;
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

/** Builds a canonical package URL string. */
export function purl(parts: PurlParts): string {
  let out = `pkg:${parts.type}/`;
  if (parts.namespace) {
    out += parts.namespace
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => encode(segment))
      .join('/');
    out += '/';
  }
  out += encode(parts.name);
  if (parts.version) out += `@${encode(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (qualifiers.length > 0) {
    out += `?${qualifiers.map(([key, value]) => `${key.toLowerCase()}=${encode(value)}`).join('&')}`;
  }
  return out;
}
