/**
 * Debian control-file paragraphs (dpkg status): 'Field: value' lines, continuation lines start
 * with a space or tab, paragraphs are separated by blank lines. Bounded by a paragraph cap.
 */

/** One paragraph: field names as written (case kept), values with continuations joined by '\n'. */
export type Paragraph = Map<string, string>;

/** Splits control text into paragraphs; stops after maxParagraphs. */
export function parseParagraphs(text: string, maxParagraphs = 200_000): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph = new Map();
  let lastField: string | undefined;
  const flush = (): void => {
    if (current.size > 0) paragraphs.push(current);
    current = new Map();
    lastField = undefined;
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') {
      flush();
      if (paragraphs.length >= maxParagraphs) return paragraphs;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lastField !== undefined) current.set(lastField, `${current.get(lastField) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastField = line.slice(0, colon);
    current.set(lastField, line.slice(colon + 1).trim());
  }
  flush();
  return paragraphs.slice(0, maxParagraphs);
}
