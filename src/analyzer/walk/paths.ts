/** Turning raw tar names into normalized in-image paths, and resolving paths inside the root. */
import { isUtf8 } from 'node:buffer';

/** Longest path kept; deeper entries are hostile (PATH_MAX is 4096 on Linux). */
export const maxPathLength = 4096;

/** Decodes a name; bytes that are not UTF-8 are kept visible as \xNN so distinct names stay distinct. */
export function decodeName(raw: Buffer): { text: string; utf8: boolean } {
  if (isUtf8(raw)) return { text: raw.toString('utf8'), utf8: true };
  let text = '';
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte < 0x80) continue;
    const len = utf8Length(raw, i);
    if (len > 0) {
      i += len - 1;
      continue;
    }
    text += raw.toString('utf8', start, i) + `\\x${byte.toString(16).padStart(2, '0')}`;
    start = i + 1;
  }
  return { text: text + raw.toString('utf8', start), utf8: false };
}

/** Length of the valid UTF-8 sequence starting at i, or 0. */
function utf8Length(raw: Buffer, i: number): number {
  const b = raw[i]!;
  const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
  if (len === 0 || i + len > raw.length) return 0;
  return isUtf8(raw.subarray(i, i + len)) ? len : 0;
}

/** Names needing the slow path: leading '/' or './', '//', '.' or '..' components. */
const unclean = /^\/|\/\/|(^|\/)\.\.?(\/|$)/;

/**
 * Normalizes a tar entry name to '/a/b'. Absolute names are taken relative to the root (as the
 * Docker daemon does); names that climb above the root with `..` return undefined.
 */
export function normalizeEntryPath(name: string): string | undefined {
  // Nearly every name is already clean ('usr/bin/x', 'etc/'): skip the split for those.
  if (!unclean.test(name)) {
    const end = name.endsWith('/') ? name.length - 1 : name.length;
    return end === 0 ? '/' : `/${name.slice(0, end)}`;
  }
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return '/' + out.join('/');
}

/** Parent directory of a normalized path ('/' for top-level entries). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Last component of a normalized path. */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a link target to the directory holding the link; `..` stops at the root like chroot. */
export function joinInRoot(dir: string, target: string): string {
  const parts = target.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}
