import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCli } from './cli.js';

interface LogLine {
  msg: string;
  address?: string;
}

function collectLogs(stream: NodeJS.ReadableStream): LogLine[] {
  const lines: LogLine[] = [];
  let buf = '';
  stream.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)) as LogLine);
      buf = buf.slice(i + 1);
    }
  });
  return lines;
}

describe('airlock serve', () => {
  it('migrates, answers /health and /version, logs JSON, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-serve-'));
    const child = startCli(['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0']);
    const logs = collectLogs(child.stdout);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await expect.poll(() => logs.find((l) => l.msg === 'airlock ready'), { timeout: 15_000 }).toBeTruthy();
    const base = `http://${logs.find((l) => l.msg === 'airlock ready')!.address}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const version = (await (await fetch(`${base}/version`)).json()) as { service: { version: string } };
    expect(version.service.version).toMatch(/^\d+\.\d+\.\d+/);

    const engine = new Database(join(dataDir, 'engine.db'), { readonly: true });
    expect(engine.prepare('SELECT COUNT(*) AS n FROM services').get()).toEqual({ n: 1 });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(logs.map((l) => l.msg)).toContain('stopped');
    expect(engine.prepare('SELECT COUNT(*) AS n FROM services').get()).toEqual({ n: 0 });
    engine.close();
  });
});
