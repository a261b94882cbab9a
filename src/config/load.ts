import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AirlockError } from '../lib/errors.js';
import { configSchema, type Config } from './schema.js';

type Plain = Record<string, unknown>;

/** Where configuration comes from, lowest precedence first: file, then environment, then flags. */
export interface ConfigSources {
  /** Path of a YAML config file (`--config`). */
  file?: string;
  /** Environment to read AIRLOCK_* variables from. */
  env?: NodeJS.ProcessEnv;
  /** Values given as command-line flags, keyed like the schema. */
  flags?: Plain;
}

/** camelCase schema key path -> AIRLOCK_ variable name; nested keys are joined with `__`. */
export function envName(path: string[]): string {
  return 'AIRLOCK_' + path.map((p) => p.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()).join('__');
}

function fromEnv(env: NodeJS.ProcessEnv): Plain {
  const out: Plain = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[envName([key])];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function readFile(path: string): Plain {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AirlockError('CONFIG_INVALID', `config file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new AirlockError('CONFIG_INVALID', `config file ${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AirlockError('CONFIG_INVALID', `config file ${path}: expected a mapping of settings at the top level`);
  }
  return doc as Plain;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${path}: ${issue.message}`;
    })
    .join('\n');
}

/** Reads, merges, validates and freezes the configuration. Throws CONFIG_INVALID (exit 2). */
export function loadConfig(sources: ConfigSources = {}): Config {
  const merged: Plain = {
    ...(sources.file ? readFile(sources.file) : {}),
    ...fromEnv(sources.env ?? process.env),
    ...Object.fromEntries(Object.entries(sources.flags ?? {}).filter(([, v]) => v !== undefined)),
  };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const where = sources.file ? ` (file ${sources.file}, AIRLOCK_* environment, flags)` : '';
    throw new AirlockError('CONFIG_INVALID', `invalid configuration${where}:\n${describeIssues(result.error)}`);
  }
  return deepFreeze(result.data);
}
