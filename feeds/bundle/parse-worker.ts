// Entry of the record-parsing worker thread (ParsePool starts it). bundle/build-js.mjs bundles it
// into one script that the CLI carries as a string, so the single executable needs no extra file.
import { parentPort } from 'node:worker_threads';
import { parseChunk, type Chunk } from './parse-chunk.js';

parentPort!.on('message', (m: { id: number; chunk: Chunk }) => {
  parentPort!.postMessage({ id: m.id, result: parseChunk(m.chunk) });
});
