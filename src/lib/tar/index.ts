export { TarParser, type TarHeader, type TarSink } from './parser.js';
export { readTar, type TarEntry } from './read-tar.js';
