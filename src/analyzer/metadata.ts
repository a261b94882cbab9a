/** Image metadata from the config: run settings, history, and a Dockerfile rebuilt from history. */
import type { AnalysisMetadata } from './document.js';
import type { ImageConfig } from './sources/schema.js';
import type { PasswdEntries } from './catalogers/index.js';

export function imageMetadata(config: ImageConfig, accounts: PasswdEntries): AnalysisMetadata {
  const c = config.config ?? {};
  const history = (config.history ?? []).map((h) => ({
    ...(h.created ? { created: h.created } : {}),
    ...(h.created_by ? { createdBy: h.created_by } : {}),
    ...(h.comment ? { comment: h.comment } : {}),
    emptyLayer: h.empty_layer ?? false,
  }));
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
    ...(config.created ? { created: config.created } : {}),
    env: c.Env ?? [],
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    user: c.User ?? '',
    workingDir: c.WorkingDir ?? '',
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    labels: c.Labels ?? {},
    history,
    dockerfile: dockerfileFrom(history.map((h) => h.createdBy ?? '')),
    users: accounts.users.map((u) => ({ name: u.name, uid: u.uid, gid: u.gid, gecos: u.gecos, home: u.home, shell: u.shell })),
    groups: accounts.groups,
  };
}

/**
 * Rebuilds Dockerfile lines from `created_by`: BuildKit records the instruction itself, the
 * classic builder wraps RUN in `/bin/sh -c` and other instructions in `#(nop)`.
 */
export function dockerfileFrom(createdBy: string[]): string {
  const lines = createdBy.filter(Boolean).map((raw) => {
    const text = raw.trim();
    const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(text);
    if (nop) return nop[1]!.trim();
    const shell = /^\/bin\/sh -c (.*)$/s.exec(text);
    if (shell) return `RUN ${shell[1]!.trim()}`;
    const buildkitRun = /^RUN \|\d+ (?:\S+=\S* )*(.*)$/s.exec(text);
    if (buildkitRun) return `RUN ${buildkitRun[1]!.replace(/^\/bin\/sh -c /, '')}`;
    if (/^[A-Z]+\s/.test(text)) return text.replace(/^RUN \/bin\/sh -c /, 'RUN ').replace(/ # buildkit$/, '');
    return `# ${text}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
