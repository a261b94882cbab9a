import type { AnalysisFile } from '../../analyzer/document.js';
import { compareWith, comparisonKind, isComparisonOp, type ParamValues } from '../params.js';
import { testCapped } from '../safe-regex.js';
import type { Fire, GateSpec } from './types.js';

function octal(mode: number): string {
  return `0o${(mode & 0o7777).toString(8)}`;
}

/** The attribute checks that were asked for, each with whether the file satisfies it. */
function attributeChecks(file: AnalysisFile, p: ParamValues): Array<{ text: string; ok: boolean }> {
  const checks: Array<{ text: string; ok: boolean }> = [];
  const checksum = p.string('checksum');
  if (checksum !== undefined) {
    const equal = (file.sha256 ?? '').toLowerCase() === checksum.toLowerCase().replace(/^sha256:/, '');
    const wantEqual = p.string('checksum_match') !== 'not_equals';
    checks.push({ text: `checksum ${wantEqual ? 'equals' : 'does not equal'} ${checksum}`, ok: equal === wantEqual });
  }
  const mode = p.number('mode');
  const op = p.string('mode_op');
  if (mode !== undefined && isComparisonOp(op)) {
    const actual = file.mode & 0o7777;
    checks.push({ text: `mode ${octal(actual)} ${op} ${octal(mode)}`, ok: compareWith(op, Math.sign(actual - mode)) });
  }
  return checks;
}

export const filesGate: GateSpec = {
  name: 'files',
  description: 'Checks files in the image: content search matches, names and attributes.',
  triggers: [
    {
      name: 'content_regex_match',
      description: 'Fires for each file in which the content search found a match, optionally only for the named regex.',
      params: [{ name: 'regex_name', description: 'Name of the content-search rule to limit the check to.', kind: { type: 'string' } }],
      evaluate(ctx, p) {
        const only = p.string('regex_name');
        const seen = new Set<string>();
        const fires: Fire[] = [];
        for (const s of ctx.doc.secrets) {
          if (only !== undefined && s.rule !== only) continue;
          const key = `${s.path}\0${s.rule}`;
          if (seen.has(key)) continue;
          seen.add(key);
          fires.push({ message: `File content analyzer found regexp match in container: file=${s.path} regexp=${s.rule}` });
        }
        return fires;
      },
    },
    {
      name: 'name_match',
      description: 'Fires for each file whose full path matches the regex (anchored at the start).',
      params: [{ name: 'regex', description: 'Regex applied to each full path.', kind: { type: 'regex', anchored: true }, required: true }],
      evaluate(ctx, p) {
        const regex = p.regex('regex');
        if (!regex) return [];
        return ctx.doc.files
          .filter((f) => testCapped(regex, f.path))
          .map((f) => ({ message: `Application of regex matched file found in container: file=${f.path} regexp=${regex.source.slice(4, -1)}` }));
      },
    },
    {
      name: 'attribute_match',
      description: 'Fires when the file exists and satisfies every given attribute check (or, with skip_missing=false, when it is missing).',
      params: [
        { name: 'filename', description: 'Absolute path of the file.', kind: { type: 'string' }, required: true },
        { name: 'checksum_algorithm', description: 'Checksum algorithm.', kind: { type: 'enum', values: ['sha256'] }, default: 'sha256' },
        { name: 'checksum', description: 'Checksum to compare with.', kind: { type: 'string' } },
        { name: 'checksum_match', description: 'Fire when the checksum equals or does not equal.', kind: { type: 'enum', values: ['equals', 'not_equals'] }, default: 'equals' },
        { name: 'mode', description: 'File mode in octal (0644).', kind: { type: 'octal' } },
        { name: 'mode_op', description: 'How the file mode compares with mode.', kind: comparisonKind, default: '=' },
        { name: 'skip_missing', description: 'Do not fire when the file is missing.', kind: { type: 'bool' }, default: 'true' },
      ],
      evaluate(ctx, p) {
        const filename = p.string('filename') ?? '';
        const file = ctx.file(filename);
        if (!file) return p.bool('skip_missing') === false ? [{ message: `File ${filename} not found in image` }] : [];
        const checks = attributeChecks(file, p);
        if (!checks.every((c) => c.ok)) return [];
        const detail = checks.length > 0 ? ` and ${checks.map((c) => c.text).join(', ')}` : '';
        return [{ message: `File ${filename} exists${detail}` }];
      },
    },
    {
      name: 'suid_or_guid_set',
      description: 'Fires for each file with the setuid or setgid bit set.',
      params: [],
      evaluate: (ctx) =>
        ctx.doc.files.filter((f) => f.suid || f.sgid).map((f) => ({ message: `SUID or SGID found set on file ${f.path}. Mode: ${octal(f.mode)}` })),
    },
  ],
};
