export { readZip, type ZipFile } from './read-zip.js';
export { readZipEntry, zipEntries, ZipError, type DirectoryLimits, type ZipEntry } from './zip.js';
