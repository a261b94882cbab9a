/** The package list as a plain text table (NAME, VERSION, TYPE), sorted, for people at a terminal. */
import type { AnalysisDocument } from '../document.js';

const HEADER = ['NAME', 'VERSION', 'TYPE'] as const;
/** Cells longer than this are cut so one odd version string cannot blow up the layout. */
const MAX_CELL = 80;

function cell(value: string): string {
  const clean = value.replace(/[\r\n\t]+/g, ' ');
  return clean.length > MAX_CELL ? `${clean.slice(0, MAX_CELL - 1)}…` : clean;
}

/** Renders the packages as a text table ending in a newline. */
export function toTable(doc: AnalysisDocument): string {
  if (doc.packages.length === 0) return 'No packages found\n';
  const rows = [...new Set(doc.packages.map((p) => [cell(p.name), cell(p.version), p.type].join('\t')))]
    .map((line) => line.split('\t'))
    .sort((a, b) => (a.join('\t') < b.join('\t') ? -1 : a.join('\t') > b.join('\t') ? 1 : 0));
  const all = [[...HEADER], ...rows];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  return `${all.map((row) => row.map((value, column) => (column === row.length - 1 ? value : value.padEnd(widths[column] ?? 0))).join('  ')).join('\n')}\n`;
}
