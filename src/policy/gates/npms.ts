import { denyTrigger, feedTrigger, unavailable } from './feed-triggers.js';
import type { GateSpec } from './types.js';

export const npmsGate: GateSpec = {
  name: 'npms',
  description: 'NPM package checks.',
  triggers: [
    feedTrigger('newer_version_in_feed', 'Fires for each installed NPM that is not the latest version in the npm feed.'),
    feedTrigger('unknown_in_feeds', 'Fires for each installed NPM that is not in the npm feed.'),
    feedTrigger('version_not_in_feeds', 'Fires for each installed NPM whose version is not listed in the npm feed.'),
    denyTrigger('denylisted_name_version', 'npm', 'NPM', ['blacklisted_name_version']),
    unavailable('npm'),
  ],
};
