import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedKeycloak } from './installed-keycloak.ts';

const root = mkdtempSync(join(tmpdir(), 'installed-keycloak-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('installedKeycloak', () => {
  it('fails, naming the command to run, when Keycloak was never provisioned', () => {
    expect(() => installedKeycloak(join(root, 'empty'))).toThrow(
      /no provisioned Keycloak \(.cache\/keycloak\/keycloak.json not found .*run `npm test`/,
    );
  });

  it('fails when the manifest names a distribution that is gone', () => {
    const repo = join(root, 'stale');
    mkdirSync(join(repo, '.cache', 'keycloak'), { recursive: true });
    writeFileSync(
      join(repo, '.cache', 'keycloak', 'keycloak.json'),
      JSON.stringify({ version: '26.7.3', home: join(repo, 'gone'), javaHome: '/nowhere' }),
    );
    expect(() => installedKeycloak(join(repo, 'sub', 'dir'))).toThrow(
      /has no bin\/kc.sh: provision Keycloak again/,
    );
  });
});
