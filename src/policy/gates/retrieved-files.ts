import { testCapped } from '../safe-regex.js';
import type { GateSpec } from './types.js';

const pathParam = { name: 'path', description: 'Absolute path of the retrieved file.', kind: { type: 'string' }, required: true } as const;

export const retrievedFilesGate: GateSpec = {
  name: 'retrieved_files',
  description: 'Checks the content of files retrieved at analysis time.',
  triggers: [
    {
      name: 'content_not_available',
      description: 'Fires when the content of the file was not retrieved.',
      params: [pathParam],
      evaluate(ctx, p) {
        const path = p.string('path') ?? '';
        return ctx.input.retrievedFiles?.[path] !== undefined ? [] : [{ message: `No retrieved file content found for path ${path}` }];
      },
    },
    {
      name: 'content_regex',
      description: 'match: fires when a line of the retrieved file matches the regex; no_match: when none does. Silent when the content was not retrieved.',
      params: [
        pathParam,
        { name: 'check', description: 'Fire on a match, or on its absence.', kind: { type: 'enum', values: ['match', 'no_match'] }, required: true },
        { name: 'regex', description: 'Regex applied to each line of the content.', kind: { type: 'regex' }, required: true },
      ],
      evaluate(ctx, p) {
        const path = p.string('path') ?? '';
        const content = ctx.input.retrievedFiles?.[path];
        const regex = p.regex('regex');
        if (content === undefined || !regex) return [];
        // Line by line, each capped: bounds the work a backtracking pattern can do.
        const found = content.split('\n').some((line) => testCapped(regex, line));
        const check = p.string('check');
        if (found !== (check === 'match')) return [];
        return [{ message: `Content regex '${regex.source}' check '${check}' matched for retrieved file ${path}` }];
      },
    },
  ],
};
