/** Bundles the CLI; returns the output path. */
export function bundle(options?: { sea?: boolean }): Promise<string>;
/** Worker-thread sources as esbuild/vitest `define` entries (name -> JSON string literal). */
export function workerDefines(): Promise<Record<string, string>>;
