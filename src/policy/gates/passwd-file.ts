import type { PasswdLine } from '../context.js';
import type { ParamSpec, ParamValues } from '../params.js';
import type { Fire, GateSpec, TriggerSpec } from './types.js';

const passwdPath = '/etc/passwd';

/** A denylist trigger over /etc/passwd entries; `what` names the matched field in the message. */
function denyTrigger(name: string, param: ParamSpec, what: string, pick: (line: PasswdLine, p: ParamValues) => string | undefined): TriggerSpec {
  return {
    name,
    aliases: [name.replace(/^denylist/, 'blacklist')],
    description: `Fires for each /etc/passwd entry whose ${what} is in the list.`,
    params: [param],
    evaluate(ctx, p) {
      const fires: Fire[] = [];
      for (const line of ctx.passwd) {
        const hit = pick(line, p);
        if (hit !== undefined) fires.push({ message: `Denylisted ${what} '${hit}' found in image's /etc/passwd: entry '${line.entry}'`, instanceId: `${what}+${hit}+${line.name}` });
      }
      return fires;
    },
  };
}

/**
 * A full-entry match compares every field but the password, which the analysis does not keep
 * (and which is 'x' in any passwd file that uses shadow passwords).
 */
function sameEntry(line: PasswdLine, wanted: string): boolean {
  const fields = wanted.split(':');
  if (fields.length !== line.fields.length) return false;
  return fields.every((f, i) => i === 1 || f === line.fields[i]);
}

export const passwdFileGate: GateSpec = {
  name: 'passwd_file',
  description: 'Checks the entries of /etc/passwd: user names, ids, shells and full entries.',
  triggers: [
    {
      name: 'content_not_available',
      description: 'Fires when the image has no /etc/passwd file.',
      params: [],
      evaluate: (ctx) => (ctx.file(passwdPath) !== undefined ? [] : [{ message: 'No /etc/passwd file found in image' }]),
    },
    denyTrigger('denylist_usernames', { name: 'user_names', description: 'Comma-separated user names.', kind: { type: 'list' }, required: true }, 'user name', (l, p) =>
      (p.strings('user_names') ?? []).includes(l.name) ? l.name : undefined,
    ),
    denyTrigger('denylist_userids', { name: 'user_ids', description: 'Comma-separated user ids.', kind: { type: 'int-list' }, required: true }, 'uid', (l, p) =>
      (p.numbers('user_ids') ?? []).includes(l.uid) ? String(l.uid) : undefined,
    ),
    denyTrigger('denylist_groupids', { name: 'group_ids', description: 'Comma-separated primary group ids.', kind: { type: 'int-list' }, required: true }, 'gid', (l, p) =>
      (p.numbers('group_ids') ?? []).includes(l.gid) ? String(l.gid) : undefined,
    ),
    denyTrigger('denylist_shells', { name: 'shells', description: 'Comma-separated login shells.', kind: { type: 'list' }, required: true }, 'shell', (l, p) =>
      (p.strings('shells') ?? []).includes(l.shell) ? l.shell : undefined,
    ),
    denyTrigger('denylist_full_entry', { name: 'entry', description: 'A full passwd line (name:x:uid:gid:gecos:home:shell).', kind: { type: 'string' }, required: true }, 'entry', (l, p) =>
      sameEntry(l, p.string('entry') ?? '') ? l.entry : undefined,
    ),
  ],
};
