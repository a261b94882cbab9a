import { createRequire } from 'node:module';

interface SeaApi {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
}

let api: SeaApi | null | undefined;

function seaApi(): SeaApi | null {
  if (api !== undefined) return api;
  try {
    // node:sea exists from Node 20.12; required lazily so source runs never depend on it.
    const mod = createRequire(import.meta.url)('node:sea') as SeaApi;
    api = mod.isSea() ? mod : null;
  } catch {
    api = null;
  }
  return api;
}

/** True inside the single executable. */
export function isSea(): boolean {
  return seaApi() !== null;
}

/** An asset embedded in the single executable, or undefined when running from source. */
export function seaAsset(key: string): Buffer | undefined {
  const sea = seaApi();
  return sea ? Buffer.from(sea.getAsset(key)) : undefined;
}
