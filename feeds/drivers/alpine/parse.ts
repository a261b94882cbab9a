import { parse as parseYaml } from 'yaml';
import type { SnapshotReader } from '../../driver.js';
import type { Affected, FeedRecord } from '../../record.js';
import { describeIssues, driverError } from '../driver-error.js';
import { Secdb, SecdbPackage } from './schema.js';

const fileName = /^(v\d+\.\d+|edge)\/(main|community)\.(json|ya?ml)$/;

/** secfixes entries hold ids, sometimes several per line or with a remark after them. */
const idToken = /^[A-Z][A-Z0-9]*-[0-9A-Za-z][\w.:-]*$/;

/** Namespace of a secdb branch: v3.20 -> alpine:3.20. */
function namespaceOf(branch: string): string {
  return `alpine:${branch.replace(/^v/, '')}`;
}

/** Reads one secdb document; the YAML form is read with the failsafe schema so "1.10" stays a string. */
function readDocument(name: string, bytes: Buffer): Secdb {
  let raw: unknown;
  try {
    raw = name.endsWith('.json') ? JSON.parse(bytes.toString('utf8')) : parseYaml(bytes.toString('utf8'), { schema: 'failsafe' });
  } catch (err) {
    throw driverError('alpine', `${name}: not valid ${name.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { cause: err });
  }
  const doc = Secdb.safeParse(raw);
  if (!doc.success) throw driverError('alpine', `${name}: not a secdb document: ${describeIssues(doc.error)}`);
  return doc.data;
}

/** Adds one document's fixes to the branch's id -> affected packages map. */
function collect(doc: Secdb, into: Map<string, Affected[]>): void {
  for (const entry of doc.packages) {
    const parsed = SecdbPackage.safeParse(entry);
    if (!parsed.success) continue;
    const { name, secfixes } = parsed.data.pkg;
    for (const [fixedIn, ids] of Object.entries(secfixes ?? {})) {
      const version = fixedIn.trim();
      // secdb's "0" key lists ids that never affected Alpine's build of the package: nothing to match.
      if (version === '' || version === '0') continue;
      for (const line of ids ?? []) {
        for (const id of (line ?? '').split(/\s+/).filter((t) => idToken.test(t))) {
          const list = into.get(id) ?? [];
          const same = list.find((a) => a.package === name);
          // An id under two versions of one package (a fix, then a fix of the fix): keep both, so
          // the union of ranges makes everything below the later one affected.
          if (same !== undefined) {
            if (same.fix.versions.includes(version)) continue;
            same.fix.versions.push(version);
            same.ranges.push({ events: [{ introduced: '0' }, { fixed: version }] });
            continue;
          }
          list.push({
            package: name,
            scheme: 'apk',
            ranges: [{ events: [{ introduced: '0' }, { fixed: version }] }],
            versions: [],
            fix: { state: 'fixed', versions: [version] },
            advisories: [],
          });
          into.set(id, list);
        }
      }
    }
  }
}

/** One record per id and branch; a branch's repositories are read together since they share the namespace. */
export async function* parseAlpine(snapshot: SnapshotReader): AsyncIterable<FeedRecord> {
  const byBranch = new Map<string, string[]>();
  for (const name of await snapshot.list()) {
    const match = fileName.exec(name);
    if (match?.[1] === undefined) continue;
    byBranch.set(match[1], [...(byBranch.get(match[1]) ?? []), name]);
  }
  for (const [branch, names] of [...byBranch].sort(([a], [b]) => a.localeCompare(b))) {
    const affected = new Map<string, Affected[]>();
    for (const name of names) collect(readDocument(name, await snapshot.read(name)), affected);
    const namespace = namespaceOf(branch);
    for (const id of [...affected.keys()].sort()) {
      yield {
        kind: 'vulnerability',
        id,
        namespace,
        aliases: [],
        severity: 'Unknown',
        cvss: [],
        urls: id.startsWith('CVE-') ? [`https://security.alpinelinux.org/vuln/${id}`] : [],
        affected: affected.get(id) ?? [],
        cpeConfigurations: [],
      };
    }
  }
}
