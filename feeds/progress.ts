/** Reports progress of one long step: a bar on a terminal, JSON lines otherwise. */
export interface ProgressReporter {
  /** Records how far the step is; cheap to call often (output is throttled). */
  update(done: number, total?: number): void;
  /** Final report of the step. */
  finish(): void;
}

function human(n: number, unit: 'bytes' | 'records'): string {
  if (unit === 'records') return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n);
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

/**
 * Progress for `phase`. On a terminal it redraws a bar with rate and ETA on stderr; otherwise it
 * prints `{"phase":..,"done":..,"total":..,"unit":..}` lines on stdout, at most twice a second.
 */
export function createProgress(phase: string, unit: 'bytes' | 'records', tty = Boolean(process.stdout.isTTY)): ProgressReporter {
  const started = Date.now();
  let last = 0;
  let done = 0;
  let total: number | undefined;
  const render = (final: boolean) => {
    if (!tty) {
      process.stdout.write(JSON.stringify({ phase, done, ...(total !== undefined ? { total } : {}), unit, ...(final ? { finished: true } : {}) }) + '\n');
      return;
    }
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = done / secs;
    const width = 30;
    const frac = total ? Math.min(done / total, 1) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width)}] ${(frac * 100).toFixed(0).padStart(3)}% ` : '';
    const eta = total && rate > 0 && !final ? ` ETA ${Math.ceil((total - done) / rate)}s` : '';
    const of = total ? `/${human(total, unit)}` : '';
    process.stderr.write(`\r${phase} ${bar}${human(done, unit)}${of} ${human(rate, unit)}/s${eta}   ${final ? '\n' : ''}`);
  };
  return {
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      const now = Date.now();
      if (now - last >= (tty ? 100 : 500)) {
        last = now;
        render(false);
      }
    },
    finish() {
      render(true);
    },
  };
}
