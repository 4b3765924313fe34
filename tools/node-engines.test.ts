import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAtLeast, minimumNodeVersion } from './node-engines.mjs';

describe('the Node versions the bootstrap accepts', () => {
  const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;

  it('follow package.json engines.node, minor and patch included', () => {
    const minimum = minimumNodeVersion(engines);
    const [major, minor] = minimum;
    expect(isAtLeast(`${major}.${minor}.0`, minimum)).toBe(true);
    expect(isAtLeast(`${major + 2}.0.0`, minimum)).toBe(true);
    expect(isAtLeast(`${major - 2}.99.0`, minimum)).toBe(false);
    if (minor > 0) expect(isAtLeast(`${major}.${minor - 1}.9`, minimum)).toBe(false);
  });

  it('refuses Node 22.0 to 22.11 against >=22.12, accepts 22.12 and later', () => {
    const minimum = minimumNodeVersion('>=22.12');
    expect(isAtLeast('22.11.1', minimum)).toBe(false);
    expect(isAtLeast('22.0.0', minimum)).toBe(false);
    expect(isAtLeast('22.12.0', minimum)).toBe(true);
    expect(isAtLeast('v24.1.0', minimum)).toBe(true);
    expect(minimumNodeVersion('>=22')).toEqual([22, 0, 0]);
  });

  it('refuses a range it cannot read, naming it', () => {
    expect(() => minimumNodeVersion('^22 || ^24')).toThrow(
      /engines.node must be one ">=x.y.z" range, found "\^22 \|\| \^24"/,
    );
    expect(() => minimumNodeVersion(undefined)).toThrow(TypeError);
  });
});
