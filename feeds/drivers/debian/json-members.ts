/**
 * Streams the members of a top-level JSON object as (key, raw value text) pairs, so a document of
 * many megabytes (the Debian tracker's) is parsed one member at a time instead of all at once.
 * Only the outer object is scanned here; each value is handed to JSON.parse by the caller.
 * Strings are crossed with indexOf jumps: they hold most of the bytes (descriptions).
 */

type Phase = 'open' | 'key' | 'colon' | 'value' | 'done';

/** Thrown for input that is not one JSON object; the caller adds the driver id and file. */
export class JsonShapeError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export async function* topLevelMembers(chunks: AsyncIterable<string>): AsyncIterable<[string, string]> {
  let phase: Phase = 'open';
  let depth = 0;
  let quoted = false;
  let skip = 0;
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
    const length = chunk.length;
    let backslash = -1;
    let i = skip;
    skip = 0;
    while (i < length) {
      if (quoted) {
        const quote = chunk.indexOf('"', i);
        // The next backslash is remembered (or `length` when there is none) so strings cost one search each.
        if (backslash < i) {
          const found = chunk.indexOf('\\', i);
          backslash = found === -1 ? length : found;
        }
        if (backslash < length && (quote === -1 || backslash < quote)) {
          // An escape: the character after the backslash (maybe in the next chunk) is not a quote.
          i = backslash + 2;
          if (i > length) skip = i - length;
          continue;
        }
        if (quote === -1) break;
        i = quote + 1;
        quoted = false;
        if (phase === 'key') {
          key = JSON.parse(take(i)) as string;
          phase = 'colon';
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (phase === 'value') {
        if (c === QUOTE) quoted = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if ((c === COMMA || c === CLOSE_BRACE) && depth === 1) {
          yield [key, take(i)];
          phase = c === COMMA ? 'key' : 'done';
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
        i++;
        continue;
      }
      if (isBlank(c)) {
        i++;
        continue;
      }
      if (phase === 'open' && c === OPEN_BRACE) {
        depth = 1;
        phase = 'key';
      } else if (phase === 'key' && c === QUOTE) {
        quoted = true;
        capturing = true;
        start = i;
      } else if (phase === 'key' && c === CLOSE_BRACE && key === '') {
        phase = 'done';
      } else if (phase === 'colon' && c === COLON) {
        phase = 'value';
        capturing = true;
        start = i + 1;
      } else {
        throw new JsonShapeError(`unexpected ${JSON.stringify(chunk[i])} at character ${offset + i} (expected a JSON object)`);
      }
      i++;
    }
    if (capturing) {
      parts.push(chunk.slice(start));
      start = 0;
    }
    offset += length;
  }
  if (phase !== 'done') throw new JsonShapeError(`truncated: the document ends inside the top-level object after ${offset} characters`);
}
