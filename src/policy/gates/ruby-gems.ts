import { denyTrigger, feedTrigger, unavailable } from './feed-triggers.js';
import type { GateSpec } from './types.js';

export const rubyGemsGate: GateSpec = {
  name: 'ruby_gems',
  description: 'Ruby gem checks.',
  triggers: [
    feedTrigger('newer_version_found_in_feed', 'Fires for each installed gem that is not the latest version in the gem feed.'),
    feedTrigger('not_found_in_feed', 'Fires for each installed gem that is not in the gem feed.'),
    feedTrigger('version_not_found_in_feed', 'Fires for each installed gem whose version is not listed in the gem feed.'),
    denyTrigger('denylist', 'gem', 'gem', ['blacklist']),
    unavailable('gem'),
  ],
};
