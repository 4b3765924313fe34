import { describe, expect, it } from 'vitest';
import { provisionDebianPackages } from './debian.mjs';

interface Call {
  readonly command: string;
  readonly args: readonly string[];
}

function recorder(installs: Set<string>, status = 0) {
  const calls: Call[] = [];
  const run = (command: string, args: readonly string[]) => {
    calls.push({ command, args });
    if (args[0] === 'install')
      for (const name of args.slice(1)) if (!name.startsWith('-')) installs.add(name);
    return status;
  };
  return { calls, run };
}

describe('provisionDebianPackages', () => {
  it('fails without root, naming the missing packages and the command, and runs nothing', () => {
    const installed = new Set(['redis-server']);
    const { calls, run } = recorder(installed);
    const attempt = () =>
      provisionDebianPackages({
        log: () => {},
        packages: ['redis-server', 'chromium'],
        uid: 1000,
        isInstalled: (name: string) => installed.has(name),
        run,
      });
    expect(attempt).toThrow(
      expect.objectContaining({
        name: 'ProvisionError',
        message: expect.stringMatching(
          /Debian packages chromium, .*apt-get install -y --no-install-recommends chromium/,
        ),
      }),
    );
    expect(calls).toEqual([]);
  });

  it('as root, runs apt-get update, then installs only what is missing', () => {
    const installed = new Set(['chromium']);
    const { calls, run } = recorder(installed);
    const result = provisionDebianPackages({
      log: () => {},
      packages: ['redis-server', 'chromium'],
      uid: 0,
      isInstalled: (name: string) => installed.has(name),
      run,
    });
    expect(calls).toEqual([
      { command: 'apt-get', args: ['update', '-qq'] },
      { command: 'apt-get', args: ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'] },
    ]);
    expect(result).toEqual({ installed: ['redis-server'] });
  });

  it('runs nothing when every package is installed, root or not', () => {
    const { calls, run } = recorder(new Set());
    provisionDebianPackages({
      log: () => {},
      packages: ['redis-server'],
      uid: 1000,
      isInstalled: () => true,
      run,
    });
    expect(calls).toEqual([]);
  });

  it('fails when apt-get fails or leaves a package missing', () => {
    const options = { log: () => {}, packages: ['redis-server'], uid: 0, isInstalled: () => false };
    expect(() => provisionDebianPackages({ ...options, run: recorder(new Set(), 100).run })).toThrow(
      /apt-get update` failed/,
    );
    expect(() => provisionDebianPackages({ ...options, run: recorder(new Set()).run })).toThrow(
      /apt-get ran, but redis-server is still not installed/,
    );
  });
});
