import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** An item of Maven's ComparableVersion: a number, a qualifier, or a nested list (after '-' or a digit/letter switch). */
type Item = { kind: 'int'; digits: string } | { kind: 'str'; key: string } | { kind: 'list'; items: Item[] };

/** A Maven version as ComparableVersion (Maven 3.8) parses it. */
export interface MavenVersion {
  /** The top-level list. */
  root: Item & { kind: 'list' };
}

const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const aliases: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const releaseKey = String(qualifiers.indexOf(''));

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Qualifier sort key: its rank among the known ones, else after all of them and then alphabetical. */
function stringItem(text: string, followedByDigit: boolean): Item {
  let value = text;
  if (followedByDigit && value.length === 1) value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  value = aliases[value] ?? value;
  const rank = qualifiers.indexOf(value);
  return { kind: 'str', key: rank >= 0 ? String(rank) : `${qualifiers.length}-${value}` };
}

function parseItem(isNumber: boolean, text: string): Item {
  if (!isNumber) return stringItem(text, false);
  let k = 0;
  while (k < text.length - 1 && text.charCodeAt(k) === 48) k++;
  return { kind: 'int', digits: text.slice(k) };
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.digits === '0';
  if (item.kind === 'str') return item.key === releaseKey;
  return item.items.length === 0;
}

/** Drops trailing null items (0, '', 'final', empty lists), looking through trailing sublists. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

/** Maven accepts any string; lowercased, split at '.', '-' and digit/letter switches. */
function parseMaven(text: string): ParseResult<MavenVersion> {
  const version = text.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root.items;
  const lists = [list];
  const openList = (): void => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    lists.push(next);
  };
  let isNumber = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c === 46 || c === 45) {
      list.push(i === start ? { kind: 'int', digits: '0' } : parseItem(isNumber, version.slice(start, i)));
      start = i + 1;
      if (c === 45) openList();
    } else if (isDigit(c)) {
      if (!isNumber && i > start) {
        // Maven treats '.X1' like '-X1' (1.0.0.X1 < 1.0.0-X2): a qualifier not first in its list opens one.
        if (list.length > 0) openList();
        list.push(stringItem(version.slice(start, i), true));
        start = i;
        openList();
      }
      isNumber = true;
    } else {
      if (isNumber && i > start) {
        list.push(parseItem(true, version.slice(start, i)));
        start = i;
        openList();
      }
      isNumber = false;
    }
  }
  if (version.length > start) {
    if (!isNumber && list.length > 0) openList();
    list.push(parseItem(isNumber, version.slice(start)));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]!);
  return { ok: true, value: { root } };
}

/** ComparableVersion's Item.compareTo; `b` undefined is the padding a shorter list gets. */
function compareItem(a: Item, b: Item | undefined): Comparison {
  if (a.kind === 'int') {
    if (!b) return a.digits === '0' ? 0 : 1;
    return b.kind === 'int' ? compareDigits(a.digits, b.digits) : 1;
  }
  if (a.kind === 'str') {
    if (!b) return compareKeys(a.key, releaseKey);
    if (b.kind === 'str') return compareKeys(a.key, b.key);
    return -1;
  }
  if (!b) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, undefined);
  if (b.kind === 'int') return -1;
  if (b.kind === 'str') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result = l ? compareItem(l, r) : r ? ((-compareItem(r, undefined)) as Comparison) : 0;
    if (result !== 0) return result;
  }
  return 0;
}

function compareKeys(a: string, b: string): Comparison {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Maven artifact versions: ComparableVersion as Maven 3.8 orders them, checked against Maven's own
 * class. That includes its flaw: on odd mixes of qualifiers and sublists it is not transitive
 * (10rcbeta < 10final.rc < 10 < 10rcbeta); versions shaped like real releases order consistently.
 */
export const maven = defineScheme<MavenVersion>({ name: 'maven', parse: parseMaven, compare: (a, b) => compareItem(a.root, b.root) });
