/**
 * Streams the members of a top-level JSON object as (key, raw value text) pairs, so a document of
 * many megabytes (the Debian tracker's) is parsed one member at a time instead of all at once.
 * Only the outer object is scanned here; each value is handed to JSON.parse by the caller.
 */

type Phase = 'open' | 'key' | 'colon' | 'value' | 'done';

/** Thrown for input that is not one JSON object; the caller adds the driver id and file. */
export class JsonShapeError extends Error {}

export async function* topLevelMembers(chunks: AsyncIterable<string>): AsyncIterable<[string, string]> {
  let phase: Phase = 'open';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let capturing = false;
  let parts: string[] = [];
  let start = 0;
  let key = '';
  let offset = 0;
  for await (const chunk of chunks) {
    const take = (end: number): string => {
      const text = parts.join('') + chunk.slice(start, end);
      capturing = false;
      parts = [];
      return text;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') {
          inString = false;
          if (phase === 'key') {
            key = JSON.parse(take(i + 1)) as string;
            phase = 'colon';
          }
        }
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (phase === 'value') {
        if (!capturing) {
          capturing = true;
          start = i;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if ((c === ',' || c === '}') && depth === 1) {
          yield [key, take(i)];
          phase = c === ',' ? 'key' : 'done';
        } else if (c === '}' || c === ']') depth--;
        continue;
      }
      if (phase === 'open' && c === '{') {
        depth = 1;
        phase = 'key';
      } else if (phase === 'key' && c === '"') {
        inString = true;
        capturing = true;
        start = i;
      } else if (phase === 'key' && c === '}' && key === '') {
        phase = 'done';
      } else if (phase === 'colon' && c === ':') {
        phase = 'value';
      } else {
        throw new JsonShapeError(`unexpected ${JSON.stringify(c)} at character ${offset + i} (expected a JSON object)`);
      }
    }
    if (capturing) {
      parts.push(chunk.slice(start));
      start = 0;
    }
    offset += chunk.length;
  }
  if (phase !== 'done') throw new JsonShapeError(`truncated: the document ends inside the top-level object after ${offset} characters`);
}
