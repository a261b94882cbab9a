/**
 * The DSA list (security-tracker data/DSA/list): a text file of advisories, each a header line
 * `[date] DSA-NNNN-N package - title`, an optional `{CVE-... CVE-...}` line and one
 * `[codename] - package version` line per release it fixed.
 */

/** An advisory as the tracker links it. */
export interface Advisory {
  /** DSA-5970-1. */
  id: string;
  /** The tracker's page for it. */
  url: string;
}

const header = /^\[[^\]]+\]\s+(DSA-\d+(?:-\d+)?)\s+(\S+)/;
const cveLine = /^\s+\{([^}]*)\}/;
const fixLine = /^\s+\[([a-z-]+)\]\s+-\s+(\S+)/;

/** Key of the index: which codename, which source package, which issue. */
export function advisoryKey(codename: string, pkg: string, issue: string): string {
  return `${codename}|${pkg}|${issue}`;
}

/** Indexes the list by (codename, package, issue); returns undefined when the text holds no DSA at all. */
export function indexDsaList(text: string): Map<string, Advisory[]> | undefined {
  const index = new Map<string, Advisory[]>();
  let seen = 0;
  let current: { id: string; cves: string[]; fixes: [string, string][] } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    for (const cve of current.cves) {
      for (const [codename, pkg] of current.fixes) {
        const key = advisoryKey(codename, pkg, cve);
        const list = index.get(key) ?? [];
        if (!list.some((a) => a.id === current?.id)) list.push({ id: current.id, url: `https://security-tracker.debian.org/tracker/${current.id}` });
        index.set(key, list);
      }
    }
  };
  for (const line of text.split('\n')) {
    const head = header.exec(line);
    if (head?.[1] !== undefined) {
      flush();
      seen++;
      current = { id: head[1], cves: [], fixes: [] };
      continue;
    }
    if (current === undefined) continue;
    const cves = cveLine.exec(line);
    if (cves?.[1] !== undefined) {
      current.cves.push(...cves[1].split(/\s+/).filter((t) => t !== ''));
      continue;
    }
    const fix = fixLine.exec(line);
    if (fix?.[1] !== undefined && fix[2] !== undefined) current.fixes.push([fix[1], fix[2]]);
  }
  flush();
  return seen === 0 ? undefined : index;
}
