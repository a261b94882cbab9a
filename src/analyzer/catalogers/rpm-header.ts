/**
 * rpm header blobs as the package databases store them (no lead, no header magic): index count
 * and data length (big-endian u32), then 16-byte index entries {tag, type, offset, count}, then
 * the data store. Only the string and integer tags a package needs are read.
 */

/** The fields kept from one installed-package header. */
export interface RpmHeader {
  /** NAME. */
  name: string;
  /** VERSION. */
  version: string;
  /** RELEASE. */
  release: string;
  /** EPOCH, when the package declares one. */
  epoch?: number;
  /** ARCH. */
  arch?: string;
  /** SOURCERPM: foo-1.0-1.src.rpm. */
  sourceRpm?: string;
  /** LICENSE. */
  license?: string;
  /** VENDOR. */
  vendor?: string;
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, vendor: 1011, license: 1014, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18NSTRING = 9;
/** rpm itself refuses headers with more entries or data than this (hdrblob limits). */
const MAX_INDEX = 0x0000ffff;
const MAX_DATA = 0x0fffffff;

function readString(data: Buffer, offset: number): string | undefined {
  if (offset < 0 || offset >= data.length) return undefined;
  const end = data.indexOf(0, offset);
  if (end < 0) return undefined;
  return data.toString('utf8', offset, end);
}

/** Parses a stored header blob; throws a plain Error on a malformed one (callers turn it into a warning). */
export function parseRpmHeader(blob: Buffer): RpmHeader {
  if (blob.length < 8) throw new Error(`header blob too short (${blob.length} bytes)`);
  const indexCount = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  if (indexCount === 0 || indexCount > MAX_INDEX || dataLength > MAX_DATA) throw new Error('header sizes out of range');
  const dataStart = 8 + indexCount * 16;
  if (dataStart + dataLength > blob.length) throw new Error('header blob truncated');
  const data = blob.subarray(dataStart, dataStart + dataLength);
  const strings = new Map<number, string>();
  let epoch: number | undefined;
  const wanted = new Set<number>(Object.values(TAG));
  for (let i = 0; i < indexCount; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    if (!wanted.has(tag)) continue;
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readInt32BE(at + 8);
    if (tag === TAG.epoch && type === TYPE_INT32 && offset >= 0 && offset + 4 <= data.length) {
      epoch = data.readUInt32BE(offset);
      continue;
    }
    if (type !== TYPE_STRING && type !== TYPE_I18NSTRING) continue;
    const value = readString(data, offset);
    if (value !== undefined) strings.set(tag, value);
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  if (!name || version === undefined || release === undefined) throw new Error('header lacks NAME, VERSION or RELEASE');
  const header: RpmHeader = { name, version, release };
  if (epoch !== undefined) header.epoch = epoch;
  const optional: Array<[keyof RpmHeader, number]> = [
    ['arch', TAG.arch],
    ['sourceRpm', TAG.sourceRpm],
    ['license', TAG.license],
    ['vendor', TAG.vendor],
  ];
  for (const [key, tag] of optional) {
    const value = strings.get(tag);
    if (value) Object.assign(header, { [key]: value });
  }
  return header;
}

/** Splits 'name-version-release.src.rpm' into its name and version-release. */
export function parseSourceRpm(sourceRpm: string): { name: string; version: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { name: match[1], version: `${match[2]}-${match[3]}` };
}
