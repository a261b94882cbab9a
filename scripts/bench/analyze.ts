// Analyzer budgets: >= 250 MB/s of uncompressed layer data through a full `airlock analyze` of a
// docker-archive (process start-up included), and peak RSS <= 250 MB on a ~1 GB image.
//   node scripts/bench/run.mjs scripts/bench/analyze.ts [docker-archive.tar]
// Default workload: the Debian bookworm image from scripts/build-test-images.sh. The ~1 GB image
// is made once (cached in .cache/bench/) from that image's real files: 12 layers, each the
// bookworm rootfs under its own prefix, so every file is distinct.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve('.');
// The single executable (`make exe`) when built, as shipped; else node with the bundle (`npm run build`).
const exe = join(root, 'dist/airlock');
const command = existsSync(exe) ? [exe] : [process.execPath, join(root, 'dist/airlock.cjs')];
const images = process.env.AIRLOCK_TEST_IMAGES ?? join(root, '.cache/test-images');
const benchDir = join(root, '.cache/bench');
// The machine sets NODE_EXTRA_CA_CERTS (a CA bundle parsed at every start); analysis never needs it.
const env = { ...process.env, NODE_EXTRA_CA_CERTS: '' };

function run(cmd: string, args: string[], cwd = root): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}

/** Bytes of uncompressed layer data in a docker-archive (its layer members are plain tars). */
function layerBytes(archive: string): number {
  const manifest = JSON.parse(run('tar', ['-xOf', archive, 'manifest.json'])) as Array<{ Layers: string[] }>;
  const sizes = new Map(
    run('tar', ['-tvf', archive])
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/))
      .map((f) => [f[5]!, Number(f[2])] as const),
  );
  return manifest[0]!.Layers.reduce((sum, l) => sum + (sizes.get(l) ?? 0), 0);
}

/** One CLI run under GNU time: wall and CPU (user + sys, all threads) seconds, peak RSS in MB. */
function timed(args: string[]): { seconds: number; cpu: number; rssMb: number } {
  const t = performance.now();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...command, ...args], { encoding: 'utf8', env });
  const seconds = (performance.now() - t) / 1000;
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr}`);
  const [rssKb, user, sys] = res.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, cpu: user! + sys!, rssMb: rssKb! / 1024 };
}

const analyzeOnce = (archive: string) => timed(['analyze', `docker-archive:${archive}`, '--output', '/dev/null']);

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Builds the ~1 GB docker-archive from the bookworm image's real files (once). */
async function bigImage(source: string): Promise<string> {
  const out = join(benchDir, 'big.tar');
  if (existsSync(out)) return out;
  const work = join(benchDir, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'rootfs'), { recursive: true });
  const manifest = JSON.parse(run('tar', ['-xOf', source, 'manifest.json'])) as Array<{ Layers: string[] }>;
  run('tar', ['-xf', source, '-C', work, manifest[0]!.Layers[0]!]);
  run('tar', ['-xf', join(work, manifest[0]!.Layers[0]!), '-C', join(work, 'rootfs')]);
  const layers: string[] = [];
  for (let i = 0; i < 12; i++) {
    const name = `layer${i}.tar`;
    run('tar', ['-cf', join(work, name), '--transform', `s,^\\./,copy${i}/,`, '-C', join(work, 'rootfs'), '.']);
    layers.push(name);
  }
  const diffIds = await Promise.all(layers.map((l) => sha256File(join(work, l))));
  writeFileSync(join(work, 'config.json'), JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }));
  writeFileSync(join(work, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['bench/big:latest'], Layers: layers }]));
  run('tar', ['-cf', out, '-C', work, 'manifest.json', 'config.json', ...layers]);
  rmSync(work, { recursive: true, force: true });
  return out;
}

const workload = resolve(process.argv[2] ?? join(images, 'bookworm/docker.tar'));
if (!existsSync(workload)) throw new Error(`${workload} is missing: run scripts/build-test-images.sh first`);
mkdirSync(benchDir, { recursive: true });
run(process.execPath, ['bundle/build-js.mjs']);

const bytes = layerBytes(workload);
analyzeOnce(workload);
const runs = Array.from({ length: 5 }, () => analyzeOnce(workload));
const best = Math.min(...runs.map((r) => r.seconds));
const median = [...runs].sort((a, b) => a.seconds - b.seconds)[2]!.seconds;
console.log(`command          ${command.join(" ")}`);
console.log(`workload         ${workload} (${(bytes / 1e6).toFixed(1)} MB of layer data)`);
const cpu = [...runs].sort((a, b) => a.cpu - b.cpu)[2]!.cpu;
const startup = timed(['--version']);
// Wall time is at the mercy of other load on the machine; CPU seconds are the steadier figure.
console.log(`throughput       ${(bytes / 1e6 / median).toFixed(0)} MB/s median, ${(bytes / 1e6 / best).toFixed(0)} MB/s best of 5 (budget >= 250, start-up included)`);
console.log(`cpu              ${cpu.toFixed(2)} s median (user+sys, both threads) = ${(bytes / 1e6 / cpu).toFixed(0)} MB per CPU-second; \`airlock --version\` alone: ${startup.seconds.toFixed(2)} s wall, ${startup.cpu.toFixed(2)} s CPU`);
console.log(`load average     ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

const big = await bigImage(workload);
const bigBytes = layerBytes(big);
// One run of a few seconds swings with the machine's other load: the median of three, the worst RSS.
const bigRuns = Array.from({ length: 3 }, () => analyzeOnce(big)).sort((a, b) => a.seconds - b.seconds);
const bigRun = bigRuns[1]!;
console.log(`large image      ${(statSync(big).size / 1e9).toFixed(2)} GB archive, ${(bigBytes / 1e6).toFixed(0)} MB of layer data`);
console.log(`large throughput ${(bigBytes / 1e6 / bigRun.seconds).toFixed(0)} MB/s wall, ${(bigBytes / 1e6 / bigRun.cpu).toFixed(0)} MB per CPU-second (median of 3)`);
console.log(`peak RSS         ${Math.max(...bigRuns.map((r) => r.rssMb)).toFixed(0)} MB, the highest of 3 (budget <= 250)`);
