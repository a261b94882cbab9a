import { describe, expect, it } from 'vitest';
import { dockerfileFrom } from './metadata.js';

describe('dockerfileFrom', () => {
  it('rebuilds instructions from classic-builder and BuildKit history', () => {
    expect(
      dockerfileFrom([
        '/bin/sh -c #(nop) ADD file:abc in / ',
        '/bin/sh -c #(nop)  CMD ["bash"]',
        '/bin/sh -c apt-get update && apt-get install -y curl',
        'RUN |1 VERSION=1.2 /bin/sh -c make install # buildkit',
        'ENV A=b',
        '',
        'umoci insert',
      ]),
    ).toBe('ADD file:abc in /\nCMD ["bash"]\nRUN apt-get update && apt-get install -y curl\nRUN make install # buildkit\nENV A=b\n# umoci insert\n');
  });
});
