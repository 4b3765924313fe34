import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVISION_STEPS, provision } from './index.mjs';

describe('provision', () => {
  it('runs the chosen steps in order, each seeing the results before it', async () => {
    const order: string[] = [];
    const steps = {
      first: async () => {
        order.push('first');
        return { javaHome: '/jdk' };
      },
      skipped: async () => order.push('skipped'),
      last: async ({ results }: { results: Record<string, { javaHome?: string }> }) => {
        order.push('last');
        return results.first?.javaHome;
      },
    };
    const results = await provision({ root: '/r', log: () => {}, only: ['last', 'first'], steps });
    expect(order).toEqual(['first', 'last']);
    expect(results).toEqual({ first: { javaHome: '/jdk' }, last: '/jdk' });
  });

  it('refuses an unknown step, naming the known ones', async () => {
    await expect(provision({ root: '/r', log: () => {}, only: ['debain'] })).rejects.toThrow(
      'unknown step debain: use debian, jdk, keycloak, python',
    );
  });

  it('provisions the Debian packages, the JDK, Keycloak and the venv, in that order', () => {
    expect(Object.keys(PROVISION_STEPS)).toEqual(['debian', 'jdk', 'keycloak', 'python']);
  });

  it('as a command, prints a provisioning failure and exits 1', () => {
    const script = fileURLToPath(new URL('./index.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, 'debain'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('provision: unknown step debain');
  });
});
