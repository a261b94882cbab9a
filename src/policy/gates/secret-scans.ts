import { testCapped } from '../safe-regex.js';
import type { Fire, GateSpec } from './types.js';

export const secretScansGate: GateSpec = {
  name: 'secret_scans',
  description: "Checks the analyzer's secret search findings.",
  triggers: [
    {
      name: 'content_regex_checks',
      description: 'found: fires for each file with a match (filtered by rule name and file name); notfound: fires once when there is none.',
      params: [
        { name: 'content_regex_name', description: 'Name of the secret-search rule to limit the check to.', kind: { type: 'string' } },
        { name: 'filename_regex', description: 'Regex the file path must match (anchored at the start).', kind: { type: 'regex', anchored: true } },
        { name: 'match_type', description: 'Fire on matches found, or on their absence.', kind: { type: 'enum', values: ['found', 'notfound'] }, default: 'found' },
      ],
      evaluate(ctx, p) {
        const rule = p.string('content_regex_name');
        const filename = p.regex('filename_regex');
        const seen = new Set<string>();
        const fires: Fire[] = [];
        for (const s of ctx.doc.secrets) {
          if (rule !== undefined && s.rule !== rule) continue;
          if (filename && !testCapped(filename, s.path)) continue;
          const key = `${s.path}\0${s.rule}`;
          if (seen.has(key)) continue;
          seen.add(key);
          fires.push({ message: `Secret search analyzer found regexp match in container: file=${s.path} regexp=${s.rule}` });
        }
        if (p.string('match_type') === 'notfound') {
          return fires.length > 0 ? [] : [{ message: `Secret search analyzer found no match in container for regexp=${rule ?? '*'}` }];
        }
        return fires;
      },
    },
  ],
};
