import { applyCheck, checkKind, validateCheckValue } from '../checks.js';
import type { PolicyContext } from '../context.js';
import type { ParamSpec, ParamValues } from '../params.js';
import type { Fire, GateSpec } from './types.js';

const directives = [
  'ADD', 'ARG', 'COPY', 'CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
] as const;

/** Anchore renamed whitelist/blacklist to allowlist/denylist; bundles use both. */
const listTypeKind = { type: 'enum', values: ['allowlist', 'denylist', 'whitelist', 'blacklist'] } as const;

function isDenyList(type: string | undefined): boolean {
  return type === 'denylist' || type === 'blacklist';
}

const actualOnly: ParamSpec = {
  name: 'actual_dockerfile_only',
  description: 'Only evaluate a user-provided Dockerfile, skip the one rebuilt from history.',
  kind: { type: 'bool' },
  default: 'false',
};

function skipped(ctx: PolicyContext, p: ParamValues): boolean {
  return p.bool('actual_dockerfile_only') === true && !ctx.actualDockerfile;
}

/** EXPOSE arguments of the Dockerfile, plus the config's ExposedPorts when the Dockerfile is rebuilt (history may omit them). */
function exposedPorts(ctx: PolicyContext): string[] {
  const ports = new Set<string>();
  for (const i of ctx.dockerfile) {
    if (i.directive === 'EXPOSE') for (const port of i.args.split(/\s+/).filter(Boolean)) ports.add(port.split('/')[0]!);
  }
  if (!ctx.actualDockerfile) for (const port of ctx.doc.metadata.exposedPorts) ports.add(port.split('/')[0]!);
  return [...ports];
}

/** The last USER of the Dockerfile, else the config's User, else root (Docker's default); the group part is ignored. */
function effectiveUser(ctx: PolicyContext): string {
  const users = ctx.dockerfile.filter((i) => i.directive === 'USER');
  const last = users.length > 0 ? users[users.length - 1]!.args : ctx.doc.metadata.user;
  const name = last.split(':')[0]!.trim();
  return name === '' ? 'root' : name;
}

export const dockerfileGate: GateSpec = {
  name: 'dockerfile',
  description: 'Checks the Dockerfile if one was provided, else the one rebuilt from the image history.',
  triggers: [
    {
      name: 'instruction',
      description: 'Fires for each Dockerfile instruction of the given directive that satisfies the check (not_exists: once, when there is none).',
      params: [
        { name: 'instruction', description: 'Dockerfile directive to check.', kind: { type: 'enum', values: directives }, required: true },
        { name: 'check', description: 'Check to apply to the instruction arguments.', kind: checkKind, required: true },
        { name: 'value', description: 'Value to check against.', kind: { type: 'string' } },
        actualOnly,
      ],
      validate: validateCheckValue,
      evaluate(ctx, p) {
        if (skipped(ctx, p)) return [];
        const directive = p.string('instruction') ?? '';
        const check = p.string('check') ?? '';
        const value = p.string('value');
        const lines = ctx.dockerfile.filter((i) => i.directive === directive);
        if (check === 'not_exists') {
          return lines.length > 0 ? [] : [{ message: `Dockerfile directive '${directive}' not found, matching condition '${check}' check` }];
        }
        const fires: Fire[] = [];
        for (const line of lines) {
          if (!applyCheck(check, line.args, value)) continue;
          fires.push({ message: `Dockerfile directive '${directive}' check '${check}' matched against '${value ?? ''}' for line '${line.line}'` });
        }
        return fires;
      },
    },
    {
      name: 'exposed_ports',
      description: 'allowlist: fires for each exposed port not in the list; denylist: for each exposed port in it.',
      params: [
        { name: 'ports', description: 'Comma-separated port numbers.', kind: { type: 'int-list' }, required: true },
        { name: 'type', description: 'Treat ports as an allowlist or a denylist.', kind: listTypeKind, required: true },
        actualOnly,
      ],
      evaluate(ctx, p) {
        if (skipped(ctx, p)) return [];
        const listed = new Set((p.numbers('ports') ?? []).map(String));
        const deny = isDenyList(p.string('type'));
        return exposedPorts(ctx)
          .filter((port) => listed.has(port) === deny)
          .map((port) => ({
            message: deny
              ? `Dockerfile exposes port (${port}) which is in policy file DENIEDPORTS list`
              : `Dockerfile exposes port (${port}) which is not in policy file ALLOWEDPORTS list`,
          }));
      },
    },
    {
      name: 'effective_user',
      description: 'Fires when the effective user (last USER) is in the denylist, or not in the allowlist.',
      params: [
        { name: 'users', description: 'Comma-separated user names.', kind: { type: 'list' }, required: true },
        { name: 'type', description: 'Treat users as an allowlist or a denylist.', kind: listTypeKind, required: true },
      ],
      evaluate(ctx, p) {
        const user = effectiveUser(ctx);
        const listed = (p.strings('users') ?? []).includes(user);
        const deny = isDenyList(p.string('type'));
        if (listed !== deny) return [];
        return [{ message: deny ? `User ${user} found as effective user, which is on the denied list` : `User ${user} found as effective user, which is not on the allowed list` }];
      },
    },
    {
      name: 'no_dockerfile_provided',
      description: 'Fires when no Dockerfile was provided with the image (the checks then use the one rebuilt from history).',
      params: [],
      evaluate: (ctx) => (ctx.actualDockerfile ? [] : [{ message: 'Image was not analyzed with an actual Dockerfile' }]),
    },
  ],
};
