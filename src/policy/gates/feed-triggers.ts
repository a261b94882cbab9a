/**
 * npms and ruby_gems: Anchore's language-package gates. Their feed triggers compare packages with
 * the registry's package catalog (Anchore's npm and gem metadata feeds); airlock imports
 * vulnerability data only, so those triggers cannot fire and feed_data_unavailable always does.
 */
import type { TriggerSpec } from './types.js';

const noFeed = 'airlock has no package-registry metadata feed (only vulnerability feeds); never fires';

export function feedTrigger(name: string, description: string): TriggerSpec {
  return { name, description, params: [], limitation: noFeed, evaluate: () => [] };
}

export function denyTrigger(name: string, type: string, label: string, aliases: string[] = []): TriggerSpec {
  return {
    name,
    aliases,
    description: `Fires for each installed ${label} with the given name (and version, when given).`,
    params: [
      { name: 'name', description: `${label} name.`, kind: { type: 'string' }, required: true },
      { name: 'version', description: 'Exact version; any version when absent.', kind: { type: 'string' } },
    ],
    evaluate(ctx, p) {
      const name = p.string('name');
      const version = p.string('version');
      return ctx
        .packagesOfType(type)
        .filter((pkg) => pkg.name === name && (version === undefined || pkg.version === version))
        .map((pkg) => ({ message: `Denylisted ${label} found: ${pkg.name} ${pkg.version}`, instanceId: `${pkg.name}+${pkg.version}` }));
    },
  };
}

export function unavailable(label: string): TriggerSpec {
  return {
    name: 'feed_data_unavailable',
    description: `Fires when the ${label} registry metadata feed is unavailable (always, in airlock).`,
    params: [],
    evaluate: () => [{ message: `${label} registry metadata feed data is not available` }],
  };
}
