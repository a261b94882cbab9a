import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project root; CI clones it beside a copy of shared/, so shared data is found relative to it. */
export const repoRoot = join(import.meta.dirname, '../../../..');

/** A path inside ../shared beside the project. */
export function shared(...parts: string[]): string {
  return join(repoRoot, '../shared', ...parts);
}

/** Folders under shared/data/rootfs whose name starts with `prefix`. */
export function rootfsDirs(prefix: string): string[] {
  return readdirSync(shared('data/rootfs'))
    .filter((d) => d.startsWith(prefix))
    .map((d) => shared('data/rootfs', d));
}

/** Values of `Field:` lines in an RFC 822-style package database. */
export function fieldValues(file: string, field: string): string[] {
  const prefix = `${field}:`;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).trim());
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing pair can be reproduced. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random element. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Runs a command with stdin, resolving to its stdout; rejects on a non-zero exit. */
export function run(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err.slice(0, 2000)}`))));
    child.stdin.end(input);
  });
}

/** Parses `a op b` vector lines (op: <, >, ==); '#' lines and blank lines are skipped. */
export function readVectors(file: string): { a: string; b: string; want: -1 | 0 | 1; line: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((line) => {
      const [a, op, b] = line.trim().split(/\s+/);
      if (a === undefined || b === undefined || !['<', '>', '=='].includes(op ?? '')) throw new Error(`bad vector line: ${line}`);
      return { a, b, want: op === '<' ? -1 : op === '>' ? 1 : 0, line };
    });
}
