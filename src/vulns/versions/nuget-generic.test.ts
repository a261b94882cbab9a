import { describe, expect, it } from 'vitest';
import { generic } from './generic.js';
import { nuget } from './nuget.js';
import type { VersionScheme } from './types.js';

/** Checks each written chain a < b < c ... and each `a = b`. */
function expectOrder(scheme: VersionScheme, chains: string[][], equal: [string, string][]): void {
  for (const chain of chains) {
    for (let i = 1; i < chain.length; i++) expect(scheme.compare(chain[i - 1]!, chain[i]!), `${chain[i - 1]} < ${chain[i]}`).toBe(-1);
  }
  for (const [a, b] of equal) expect(scheme.compare(a, b), `${a} = ${b}`).toBe(0);
}

describe('nuget (NuGet version normalization)', () => {
  it('pads to four parts, ignores leading zeros, case and build metadata', () => {
    expectOrder(
      nuget,
      [['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.10', '1.0.0-RC1', '1.0.0', '1.0.0.1', '1.0.1', '1.10']],
      [['1.0', '1.0.0.0'], ['01.0', '1.0'], ['1.0.0-Beta', '1.0.0-beta'], ['1.0.0+abc', '1.0.0']],
    );
  });
});

describe('generic fallback (documented order)', () => {
  it('orders pre-release words before the release, numbers above words, ignores separators and case', () => {
    expectOrder(
      generic,
      [['2.0dev1', '2.0alpha', '2.0beta2', '2.0rc1', '2.0', '2.0a', '2.0patch', '2.0.1', '2.1', '10'], ['1.1.1', '1.1.1a', '1.1.1k', '1.1.2']],
      [['2.0', '2_0'], ['2.0-RC1', '2.0rc1'], ['1.02', '1.2']],
    );
  });
});
