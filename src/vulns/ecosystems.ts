import type { Purl } from './purl.js';

/** A language ecosystem as the feed store keys it. */
export interface Ecosystem {
  /** Feed namespace the osv driver writes ('npm', 'pypi', 'go', ...). */
  namespace: string;
  /** Names as the feed spells them for this purl, first the canonical one. */
  names(purl: Purl): string[];
}

/** PEP 503: runs of '-', '_' and '.' are one '-', case does not matter. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const joined = (sep: string) => (p: Purl) => (p.namespace ? `${p.namespace}${sep}${p.name}` : p.name);

/**
 * purl type -> ecosystem. Names carry both the normalized and the given spelling where upstream
 * records are not consistent about normalization (PyPI GHSA records keep the project's own case).
 */
export const ecosystems: Readonly<Record<string, Ecosystem>> = {
  npm: { namespace: 'npm', names: (p) => [joined('/')(p)] },
  pypi: { namespace: 'pypi', names: (p) => unique([pep503(p.name), p.name]) },
  golang: { namespace: 'go', names: (p) => [joined('/')(p)] },
  maven: { namespace: 'maven', names: (p) => [joined(':')(p)] },
  gem: { namespace: 'rubygems', names: (p) => [p.name] },
  cargo: { namespace: 'cargo', names: (p) => [p.name] },
  nuget: { namespace: 'nuget', names: (p) => unique([p.name, p.name.toLowerCase()]) },
  composer: { namespace: 'composer', names: (p) => unique([joined('/')(p).toLowerCase(), joined('/')(p)]) },
};

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
