import { describe, expect, it } from 'vitest';
import { collect } from '../../../test/support/feeds.js';
import { JsonShapeError, topLevelMembers } from './json-members.js';

async function* chunked(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const tricky = {
  'a "quoted" key': { s: 'a } and a { and a \\" and ,', n: [1, [2, { x: '}' }]] },
  plain: 42,
  str: 'x,y}',
  'ünï': null,
  arr: [],
};

describe('topLevelMembers', () => {
  it('yields every member with its raw value, whatever the chunk boundaries', async () => {
    const text = JSON.stringify(tricky, null, 2);
    for (const size of [1, 2, 7, 64, text.length]) {
      const members = await collect(topLevelMembers(chunked(text, size)));
      expect(Object.fromEntries(members.map(([k, v]) => [k, JSON.parse(v) as unknown]))).toEqual(tricky);
    }
  });

  it('accepts an empty object and refuses what is not one object', async () => {
    expect(await collect(topLevelMembers(chunked(' {} \n', 1)))).toEqual([]);
    await expect(collect(topLevelMembers(chunked('[1]', 1)))).rejects.toThrow(JsonShapeError);
    await expect(collect(topLevelMembers(chunked('{"a":1,}', 3)))).rejects.toThrow(/unexpected "}"/);
    await expect(collect(topLevelMembers(chunked('{"a":1} x', 3)))).rejects.toThrow(/unexpected "x"/);
    await expect(collect(topLevelMembers(chunked('{"a":{"b":', 3)))).rejects.toThrow(/truncated/);
  });
});
