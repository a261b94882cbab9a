/** Picking one manifest out of a manifest list / OCI index by platform. */
import { analysisError } from '../errors.js';
import type { Descriptor } from './schema.js';

export interface Platform {
  /** linux, windows, ... */
  os: string;
  /** amd64, arm64, ... */
  architecture: string;
  /** v7, v8, ... when the architecture has variants. */
  variant?: string;
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw analysisError(`invalid platform '${text}': expected os/arch[/variant], e.g. linux/amd64`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function selectPlatform(manifests: Descriptor[], wanted: Platform, label: string): Descriptor {
  // Attestation manifests sit in the same index with an 'unknown/unknown' platform.
  const candidates = manifests.filter((m) => m.platform?.os !== 'unknown');
  if (candidates.length === 1 && !candidates[0]!.platform) return candidates[0]!;
  const match = candidates.find(
    (m) => m.platform?.os === wanted.os && m.platform.architecture === wanted.architecture && (!wanted.variant || m.platform.variant === wanted.variant),
  );
  if (match) return match;
  const offered = candidates.map((m) => (m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : '?'));
  const want = [wanted.os, wanted.architecture, wanted.variant].filter(Boolean).join('/');
  throw analysisError(`${label}: no manifest for platform ${want} (available: ${offered.join(', ') || 'none'})`);
}
