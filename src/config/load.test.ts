import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.js';
import { envName, loadConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('applies defaults when nothing is given', () => {
    const config = loadConfig({ env: {} });
    expect(config).toEqual({
      dataDir: './airlock-data',
      listen: '127.0.0.1:8228',
      logLevel: 'info',
      migrateOnStart: true,
      feeds: { upstream: {}, drivers: {} },
    });
  });

  it('layers file, then AIRLOCK_* environment, then flags', () => {
    const path = file('layers.yaml', 'dataDir: /from/file\nlisten: 127.0.0.1:1000\nlogLevel: debug\n');
    const config = loadConfig({ file: path, env: { AIRLOCK_LISTEN: '127.0.0.1:2000', AIRLOCK_MIGRATE_ON_START: 'false' }, flags: { listen: '127.0.0.1:3000' } });
    expect(config.dataDir).toBe('/from/file');
    expect(config.logLevel).toBe('debug');
    expect(config.listen).toBe('127.0.0.1:3000');
    expect(config.migrateOnStart).toBe(false);
  });

  it('freezes the result', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { listen: string }).listen = 'x';
    }).toThrow(TypeError);
  });

  it('names environment variables after the schema keys', () => {
    expect(envName(['dataDir'])).toBe('AIRLOCK_DATA_DIR');
    expect(envName(['feeds', 'trustedKeys'])).toBe('AIRLOCK_FEEDS__TRUSTED_KEYS');
  });

  it('rejects malformed YAML with the file and line', () => {
    const path = file('bad.yaml', 'listen: [unclosed\n');
    expect(() => loadConfig({ file: path, env: {} })).toThrow(/config file .*bad\.yaml: not valid YAML/);
  });

  it('rejects unknown keys with their path', () => {
    const path = file('unknown.yaml', 'dataDir: /x\nlisten_port: 9\n');
    expect(() => loadConfig({ file: path, env: {} })).toThrow(/\(top level\): Unrecognized key: "listen_port"/);
  });

  it('rejects wrong types with the path and what was expected', () => {
    const path = file('types.yaml', 'listen: 8228\nlogLevel: loud\n');
    let message = '';
    try {
      loadConfig({ file: path, env: {} });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/listen: Invalid input: expected string, received number/);
    expect(message).toMatch(/logLevel: Invalid option: expected one of/);
  });

  it('rejects a config file that is not a mapping', () => {
    const path = file('list.yaml', '- a\n- b\n');
    expect(() => loadConfig({ file: path, env: {} })).toThrow(/expected a mapping/);
  });

  it('rejects a missing file', () => {
    expect(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} })).toThrow(/cannot read it \(ENOENT\)/);
  });
});

describe('airlock with a bad configuration', () => {
  it('exits 2 with the field path and no stack trace', () => {
    const path = file('cli.yaml', 'listen: nowhere\n');
    const res = runCli(['db', 'status', '--config', path]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('listen: expected host:port');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a bad AIRLOCK_* variable', () => {
    const res = runCli(['db', 'status'], { env: { AIRLOCK_LOG_LEVEL: 'chatty' } });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('logLevel');
  });

  it('exits 2 on an unknown flag, naming the command help', () => {
    const res = runCli(['db', 'migrate', '--frobnicate']);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("Unknown option '--frobnicate'");
  });
});
