import { parseArgs } from 'node:util';
import { AirlockError } from '../lib/errors.js';

/** One option of a command, as `--name` on the command line. */
export interface OptionSpec {
  /** 'string' takes a value, 'boolean' is a switch. */
  type: 'string' | 'boolean';
  /** One-line description shown by --help. */
  description: string;
  /** Single-letter alias. */
  short?: string;
  /** May be given more than once; values arrive as an array. */
  multiple?: boolean;
  /** Placeholder for the value in help, e.g. `<file>`. */
  valueName?: string;
}

/** What a command's run() receives. */
export interface CommandInput {
  /** Parsed option values keyed by option name. */
  values: Record<string, string | boolean | string[] | undefined>;
  /** Positional arguments after the command words. */
  positionals: string[];
}

/** A command module: loaded only when its command runs (or its help is asked for). */
export interface Command {
  /** Usage line after `airlock`, e.g. `db migrate [options]`. */
  usage: string;
  /** Paragraph shown under the usage line. */
  description: string;
  /** Options this command accepts (besides --help). */
  options: Record<string, OptionSpec>;
  /** Whether positionals are accepted. */
  allowPositionals?: boolean;
  /** Runs the command; resolves to the process exit code. */
  run(input: CommandInput): Promise<number>;
}

export function parseCommandArgs(command: Command, argv: string[]): CommandInput {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return { values: values as CommandInput['values'], positionals };
  } catch (err) {
    throw new AirlockError('USAGE', `${(err as Error).message}\nRun 'airlock ${command.usage.split(' [')[0]} --help' for usage.`);
  }
}

export function renderHelp(command: Command): string {
  const lines = [`Usage: airlock ${command.usage}`, '', command.description, ''];
  const rows: Array<[string, string]> = Object.entries(command.options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.valueName ?? '<value>'}` : '';
    return [`  ${short}--${name}${value}`, spec.description];
  });
  rows.push(['  -h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  lines.push('Options:', ...rows.map(([left, text]) => left.padEnd(width) + text));
  return lines.join('\n') + '\n';
}

/** String option value, or undefined. */
export function str(input: CommandInput, name: string): string | undefined {
  const v = input.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Boolean switch value. */
export function flag(input: CommandInput, name: string): boolean {
  return input.values[name] === true;
}

/** Repeatable string option as an array. */
export function list(input: CommandInput, name: string): string[] {
  const v = input.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}
