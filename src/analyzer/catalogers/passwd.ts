/**
 * Users and groups from /etc/passwd and /etc/group. Not packages: the analysis stores them in
 * its metadata through passwdEntries(tree); the cataloger only asks the walker to keep the files.
 */
import type { FileCataloger, FileTree } from '../types.js';

const MAX_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

/** One /etc/passwd line. */
export interface PasswdUser {
  /** Login name. */
  name: string;
  /** User id. */
  uid: number;
  /** Primary group id. */
  gid: number;
  /** GECOS (full name, ...). */
  gecos: string;
  /** Home directory. */
  home: string;
  /** Login shell. */
  shell: string;
}

/** One /etc/group line. */
export interface GroupEntry {
  /** Group name. */
  name: string;
  /** Group id. */
  gid: number;
  /** Supplementary members. */
  members: string[];
}

/** Users, groups and the lines that could not be read. */
export interface PasswdEntries {
  /** Users from /etc/passwd. */
  users: PasswdUser[];
  /** Groups from /etc/group. */
  groups: GroupEntry[];
  /** Problems, e.g. malformed lines. */
  warnings: string[];
}

function lines(tree: FileTree, path: string): string[] {
  const bytes = tree.content(path);
  if (!bytes) return [];
  return bytes
    .toString('utf8')
    .split('\n', MAX_ENTRIES)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

function id(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

/** Reads users and groups from a tree whose /etc/passwd and /etc/group were kept. */
export function passwdEntries(tree: FileTree): PasswdEntries {
  const out: PasswdEntries = { users: [], groups: [], warnings: [] };
  let bad = 0;
  for (const line of lines(tree, '/etc/passwd')) {
    const [name, , uid, gid, gecos = '', home = '', shell = ''] = line.split(':');
    const userId = id(uid);
    const groupId = id(gid);
    if (!name || userId === undefined || groupId === undefined) bad++;
    else out.users.push({ name, uid: userId, gid: groupId, gecos, home, shell });
  }
  if (bad > 0) out.warnings.push(`passwd: /etc/passwd: ${bad} malformed lines skipped`);
  bad = 0;
  for (const line of lines(tree, '/etc/group')) {
    const [name, , gid, members = ''] = line.split(':');
    const groupId = id(gid);
    if (!name || groupId === undefined) bad++;
    else out.groups.push({ name, gid: groupId, members: members.split(',').filter(Boolean) });
  }
  if (bad > 0) out.warnings.push(`passwd: /etc/group: ${bad} malformed lines skipped`);
  return out;
}

/** Keeps /etc/passwd and /etc/group for passwdEntries(). */
export function passwdCataloger(): FileCataloger {
  return {
    id: 'passwd',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => path === '/etc/passwd' || path === '/etc/group',
    catalog: async () => ({ packages: [], warnings: [] }),
  };
}
