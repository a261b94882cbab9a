/** Bundles the CLI; returns the output path. */
export function bundle(options?: { sea?: boolean }): Promise<string>;
