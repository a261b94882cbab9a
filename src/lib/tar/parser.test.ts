import { describe, expect, it } from 'vitest';
import { TarParser, type TarHeader } from './parser.js';
import { pax, tarOf } from '../../../test/analyzer-fixtures.js';

function parse(tar: Buffer, chunk = 100): Array<TarHeader & { body: string }> {
  const out: Array<TarHeader & { body: string }> = [];
  const parser = new TarParser(
    {
      // Header buffers are views the parser reuses: copy what the test keeps.
      entry: (h) => out.push({ ...h, name: Buffer.from(h.name), linkName: Buffer.from(h.linkName), body: '' }),
      data: (s) => (out[out.length - 1]!.body += s.toString()),
      end: () => undefined,
    },
    (message) => new Error(`test: ${message}`),
  );
  for (let i = 0; i < tar.length; i += chunk) parser.push(tar.subarray(i, i + chunk));
  parser.finish();
  return out;
}

/** A GNU tar header block: long-name records and base-256 sizes, which the fixture writer does not make. */
function gnuHeader(name: string, type: string, size: number, base256 = false): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (base256) {
    h[124] = 0x80;
    h.writeUIntBE(size, 136 - 6, 6);
  } else h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar  \0', 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

describe('TarParser', () => {
  it('reads pax long names and data split across any chunking', () => {
    const long = `${'dir/'.repeat(40)}file`;
    const tar = tarOf([{ name: long, data: 'content' }, { name: 'short', data: 'x'.repeat(1000) }]);
    for (const chunk of [1, 7, 512, 100_000]) {
      const entries = parse(tar, chunk);
      expect(entries.map((e) => [e.name.toString(), e.size, e.body.length])).toEqual([
        [long, 7, 7],
        ['short', 1000, 1000],
      ]);
    }
  });

  it('reads GNU long names and base-256 sizes', () => {
    const longName = Buffer.from(`${'g'.repeat(150)}\0`);
    const tar = Buffer.concat([
      gnuHeader('././@LongLink', 'L', longName.length),
      pad(longName),
      gnuHeader('ignored', '0', 3, true),
      pad(Buffer.from('abc')),
      Buffer.alloc(1024),
    ]);
    expect(parse(tar).map((e) => [e.name.toString(), e.size, e.body])).toEqual([['g'.repeat(150), 3, 'abc']]);
  });

  it('rejects a bad header checksum and a stream that ends inside a header or an entry', () => {
    const tar = tarOf([{ name: 'a', data: 'hello' }]);
    const corrupt = Buffer.from(tar);
    corrupt.write('ustaR', 257, 'latin1');
    expect(() => parse(corrupt)).toThrow(/^test: not a tar stream \(bad header checksum at offset 0\)/);
    // A pre-POSIX (v7) header has no magic: its checksum is what is checked.
    const v7 = Buffer.from(tar);
    v7.fill(0, 257, 265).fill(0x20, 148, 156);
    v7.write(`${v7.subarray(0, 512).reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    expect(parse(v7).map((e) => e.name.toString())).toEqual(['a']);
    v7[0] = 0x62;
    expect(() => parse(v7)).toThrow(/bad header checksum/);
    expect(() => parse(tar.subarray(0, 300))).toThrow(/truncated tar header/);
    expect(() => parse(tarOf([{ name: 'a', data: 'hi', size: 5000 }], { truncate: true }))).toThrow(/truncated tar: 'a' declares more bytes/);
  });

  it('takes a pax size only as plain decimal digits, and only for the entry it describes', () => {
    const file = tarOf([{ name: 'f', data: 'hello' }]);
    for (const bad of ['1e3', '0x10', '', '-5']) expect(() => parse(Buffer.concat([pax({ size: Buffer.from(bad) }), file])), bad).toThrow(/invalid entry size/);
    // The size that follows a pax size record: a second pax header keeps its own block size.
    const entries = parse(Buffer.concat([pax({ size: Buffer.from('5') }), pax({ path: Buffer.from('renamed') }), file]));
    expect(entries.map((e) => [e.name.toString(), e.size, e.body])).toEqual([['renamed', 5, 'hello']]);
  });
});
