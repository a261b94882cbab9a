// Entry of the hashing worker thread (Hasher starts it). bundle/build-js.mjs bundles it into one
// script that the CLI carries as a string, so the single executable needs no extra file.
//
// Messages: 'scan' (secret rules for the walk), 'begin' (a layer), 'chunk' (bytes plus the file
// ranges in them, as ops of four numbers: 0 start file id (scan flag) | 1 bytes of file id
// [start, end) | 2 end file id), 'end' (answer the layer's digests and findings).
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { scanCore, type CoreFinding, type CoreRule } from '../secrets/scan-core.js';

let scan: { rules: CoreRule[]; prefilter: RegExp | undefined } | undefined;
const open = new Map<number, Hash>();
const texts = new Map<number, Buffer[]>();
let digests: string[] = [];
let findings: Record<number, CoreFinding[]> = {};

type Message =
  | { t: 'scan'; rules: CoreRule[]; prefilter: RegExp | undefined }
  | { t: 'begin' }
  | { t: 'end' }
  | { t: 'chunk'; buf: Uint8Array | null; ops: number[] };

function endFile(id: number): void {
  digests[id] = open.get(id)!.digest('hex');
  open.delete(id);
  const text = texts.get(id);
  if (!text || !scan) return;
  texts.delete(id);
  // Slices are views of the posted chunks: most files lie within one and need no copy.
  const found = scanCore(text.length === 1 ? text[0]! : Buffer.concat(text), scan.rules, scan.prefilter);
  if (found.length > 0) findings[id] = found;
}

parentPort!.on('message', (m: Message) => {
  if (m.t === 'scan') {
    scan = { rules: m.rules, prefilter: m.prefilter };
    return;
  }
  if (m.t === 'begin') {
    open.clear();
    texts.clear();
    digests = [];
    findings = {};
    return;
  }
  if (m.t === 'end') {
    parentPort!.postMessage({ t: 'layer', files: digests, findings });
    return;
  }
  const buf = m.buf ? Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength) : null;
  const ops = m.ops;
  for (let i = 0; i < ops.length; i += 4) {
    const id = ops[i + 1]!;
    if (ops[i] === 0) {
      open.set(id, createHash('sha256'));
      if (ops[i + 2] === 1) texts.set(id, []);
    } else if (ops[i] === 1) {
      const slice = buf!.subarray(ops[i + 2], ops[i + 3]);
      open.get(id)!.update(slice);
      texts.get(id)?.push(slice);
    } else {
      endFile(id);
    }
  }
  if (buf) parentPort!.postMessage({ t: 'ack', n: buf.length });
});
