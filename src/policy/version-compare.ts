/** Version ordering for policy checks: the package type's own scheme, the generic order otherwise. */
import { schemes, type SchemeName } from '../vulns/versions/index.js';

const schemeOfType: Record<string, SchemeName> = {
  deb: 'dpkg',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'semver',
  pypi: 'pep440',
  gem: 'gem',
  maven: 'maven',
  golang: 'go',
};

/** Sign of a - b, or null when either is not a version of that scheme (a check never fires on null). */
export function compareVersions(packageType: string | null, a: string, b: string): number | null {
  if (a === b) return 0;
  const scheme = schemes[schemeOfType[packageType ?? ''] ?? 'generic'];
  if (!scheme.parse(a).ok || !scheme.parse(b).ok) return null;
  return scheme.compare(a, b);
}
