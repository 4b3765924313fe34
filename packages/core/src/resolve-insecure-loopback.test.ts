import { describe, expect, it } from 'vitest';
import { resolveInsecureLoopback } from './resolve-insecure-loopback.ts';

describe('resolveInsecureLoopback', () => {
  it('takes the config value unless the explicit option says otherwise', () => {
    const on = { allowInsecureLoopback: true };
    const off = { allowInsecureLoopback: false };
    expect(resolveInsecureLoopback({}, 'X')).toBe(false);
    expect(resolveInsecureLoopback({ config: on }, 'X')).toBe(true);
    expect(resolveInsecureLoopback({ config: off }, 'X')).toBe(false);
    expect(resolveInsecureLoopback({ config: on, allowInsecureLoopback: false }, 'X')).toBe(false);
    expect(resolveInsecureLoopback({ config: off, allowInsecureLoopback: true }, 'X')).toBe(true);
    expect(resolveInsecureLoopback({ config: undefined, allowInsecureLoopback: undefined }, 'X')).toBe(false);
  });

  it('refuses values that are not booleans, naming the owner', () => {
    expect(() =>
      resolveInsecureLoopback({ allowInsecureLoopback: 'true' as never }, 'InSessionAPICall'),
    ).toThrow(new TypeError('InSessionAPICall: allowInsecureLoopback must be a boolean'));
    expect(() => resolveInsecureLoopback({ config: {} as never }, 'HybridSender')).toThrow(
      new TypeError('HybridSender: config must be the result of getConfig()'),
    );
  });
});
