/** Splits Dockerfile text into instructions: continuation lines joined, comments and blanks dropped. */

export interface DockerInstruction {
  /** Upper-cased directive: 'RUN', 'USER', 'EXPOSE', ... */
  directive: string;
  /** Everything after the directive, trimmed. */
  args: string;
  /** The whole instruction as one line. */
  line: string;
}

export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    push(out, pending + trimmed);
    pending = '';
  }
  if (pending !== '') push(out, pending);
  return out;
}

function push(out: DockerInstruction[], text: string): void {
  const line = text.trim();
  const m = /^(\S+)\s*(.*)$/s.exec(line);
  if (!m) return;
  out.push({ directive: m[1]!.toUpperCase(), args: m[2]!.trim(), line });
}
