/** Parsing `<scheme>:<rest>` source strings and registry image references. */
import { analysisError } from '../errors.js';
import { digestPattern } from './schema.js';

export type SourceRef =
  | { kind: 'docker-archive' | 'oci-dir' | 'oci-archive'; path: string }
  | { kind: 'registry'; image: RegistryRef };

export interface RegistryRef {
  /** host[:port] */
  host: string;
  /** Repository path, e.g. 'library/debian'. */
  repository: string;
  /** Tag when given by tag. */
  tag?: string;
  /** Digest when given by digest. */
  digest?: string;
}

export function parseSource(text: string): SourceRef {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const rest = text.slice(colon + 1);
  if (scheme === 'docker-archive' || scheme === 'oci-dir' || scheme === 'oci-archive') {
    if (!rest) throw analysisError(`${scheme}: missing path`);
    return { kind: scheme, path: rest };
  }
  return { kind: 'registry', image: parseImageRef(scheme === 'registry' ? rest : text) };
}

/** host/repo[:tag][@digest]; a first component without '.', ':' or 'localhost' means Docker Hub. */
export function parseImageRef(text: string): RegistryRef {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw analysisError(`invalid image reference '${text}': bad digest`);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'registry-1.docker.io';
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const tagColon = repository.lastIndexOf(':');
  if (tagColon >= 0) {
    tag = repository.slice(tagColon + 1);
    repository = repository.slice(0, tagColon);
  }
  if (!hasHost && !repository.includes('/')) repository = `library/${repository}`;
  if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/.test(repository)) {
    throw analysisError(`invalid image reference '${text}': bad repository name '${repository}'`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw analysisError(`invalid image reference '${text}': bad tag '${tag}'`);
  if (!tag && !digest) tag = 'latest';
  return { host, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
