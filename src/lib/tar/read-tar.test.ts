import { describe, expect, it } from 'vitest';
import { tarOf } from '../../../test/analyzer-fixtures.js';
import { readTar } from './read-tar.js';

const fail = (message: string) => new Error(`tar: ${message}`);

/** The tar as chunks of a given size, as a file stream hands them out. */
async function* chunks(tar: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < tar.length; i += size) yield Buffer.from(tar.subarray(i, i + size));
}

async function entries(tar: Buffer, size: number, read: (name: string) => boolean = () => true): Promise<Array<[string, string, number, string]>> {
  const out: Array<[string, string, number, string]> = [];
  for await (const e of readTar(chunks(tar, size), fail)) {
    let body = '';
    if (read(e.name)) for await (const part of e.body) body += part.toString();
    out.push([e.name, e.type, e.size, body]);
  }
  return out;
}

describe('readTar', () => {
  const long = `${'d/'.repeat(60)}long.txt`;
  const tar = tarOf([
    { name: 'a.txt', data: 'alpha'.repeat(300) },
    { name: 'dir/', type: '5' },
    { name: 'link', type: '2', linkName: 'a.txt' },
    { name: long, data: 'pax path' },
    { name: 'b.txt', data: 'beta' },
  ]);

  it('streams each body whatever the chunking, with pax names and entry types', async () => {
    for (const size of [1, 100, 512, 1 << 20]) {
      expect(await entries(tar, size), `chunks of ${size}`).toEqual([
        ['a.txt', 'file', 1500, 'alpha'.repeat(300)],
        ['dir/', 'directory', 0, ''],
        ['link', 'symlink', 0, ''],
        [long, 'file', 8, 'pax path'],
        ['b.txt', 'file', 4, 'beta'],
      ]);
    }
  });

  it('skips what the consumer leaves unread', async () => {
    expect((await entries(tar, 700, (name) => name !== 'a.txt')).map(([name, , , body]) => [name, body.length])).toEqual([
      ['a.txt', 0],
      ['dir/', 0],
      ['link', 0],
      [long, 8],
      ['b.txt', 4],
    ]);
  });

  it('refuses a stream cut inside an entry, one with no end-of-archive marker, and a bad checksum even under the ustar magic', async () => {
    await expect(entries(tar.subarray(0, 800), 256)).rejects.toThrow(/^tar: truncated tar: 'a.txt' declares more bytes/);
    await expect(entries(tarOf([{ name: 'a', data: 'x' }], { truncate: true }), 512)).rejects.toThrow(/^tar: truncated \(no end-of-archive marker\)/);
    const corrupt = Buffer.from(tar);
    corrupt[10] = 0x41;
    expect(corrupt.toString('latin1', 257, 262)).toBe('ustar');
    await expect(entries(corrupt, 512)).rejects.toThrow(/^tar: not a tar stream \(bad header checksum at offset 0\)/);
  });
});
