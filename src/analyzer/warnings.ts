/** Collects non-fatal problems, keeping the first few of each kind so hostile input cannot flood the report. */
const perKind = 20;

export class Warnings {
  private readonly list: string[] = [];
  private readonly counts = new Map<string, number>();

  add(kind: string, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= perKind) this.list.push(message);
  }

  /** The kept messages plus one summary line per kind that overflowed. */
  all(): string[] {
    const extra = [...this.counts].filter(([, n]) => n > perKind).map(([kind, n]) => `${n - perKind} more '${kind}' warnings not shown`);
    return [...this.list, ...extra];
  }
}
