import { versionSchemes } from '../../../feeds/record.js';
import { AirlockError } from '../../lib/errors.js';
import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { gem } from './gem.js';
import { generic } from './generic.js';
import { go } from './go.js';
import { maven } from './maven.js';
import { nuget } from './nuget.js';
import { pep440 } from './pep440.js';
import { rpm } from './rpm.js';
import { semver } from './semver.js';
import type { SchemeName, VersionScheme } from './types.js';

/** Every scheme, keyed by the names feed records use. */
export const schemes: Readonly<Record<SchemeName, VersionScheme>> = Object.freeze({ dpkg, apk, rpm, semver, pep440, maven, gem, go, nuget, generic });

export function isSchemeName(name: string): name is SchemeName {
  return (versionSchemes as readonly string[]).includes(name);
}

/** The scheme of that name; an unknown name is a usage error that lists the known ones. */
export function getScheme(name: string): VersionScheme {
  if (!isSchemeName(name)) throw new AirlockError('USAGE', `unknown version scheme '${name}' (known: ${versionSchemes.join(', ')})`);
  return schemes[name];
}

/** A scheme given by name or as the scheme itself. */
export function resolveScheme(scheme: VersionScheme | SchemeName): VersionScheme {
  return typeof scheme === 'string' ? getScheme(scheme) : scheme;
}
