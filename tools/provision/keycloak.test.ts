import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keycloakCachePaths, provisionKeycloak } from './keycloak.mjs';

const version = '0.0.1-test';
const javaHome = '/usr/lib/jvm/test-jdk';
const jdk = () => ({ javaHome, major: 25 });
let archive: Buffer;
let server: Server;
let repository: string;
let requests: string[];
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'provision-keycloak-'));
  const source = join(scratch, 'source');
  mkdirSync(join(source, `keycloak-${version}`, 'bin'), { recursive: true });
  writeFileSync(join(source, `keycloak-${version}`, 'bin', 'kc.sh'), '#!/bin/sh\n');
  execFileSync('tar', ['-czf', join(scratch, 'dist.tar.gz'), '-C', source, `keycloak-${version}`]);
  archive = readFileSync(join(scratch, 'dist.tar.gz'));
  requests = [];
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const file = `/org/keycloak/keycloak-quarkus-dist/${version}/keycloak-quarkus-dist-${version}.tar.gz`;
    if (request.url === file) return void response.end(archive);
    if (request.url === `${file}.sha512`)
      return void response.end(createHash('sha512').update(archive).digest('hex'));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

describe('provisionKeycloak', () => {
  it('downloads, checks the SHA-512, unpacks once, then starts from the cache without network', async () => {
    const root = join(scratch, 'repo');
    const log = () => {};
    const first = await provisionKeycloak({ root, log, version, repository, jdk });
    const paths = keycloakCachePaths(root, version);
    expect(first).toEqual({ home: paths.home, version, javaHome });
    expect(existsSync(join(paths.home, 'bin', 'kc.sh'))).toBe(true);
    expect(JSON.parse(readFileSync(paths.manifest, 'utf8'))).toMatchObject({
      version,
      home: paths.home,
      javaHome,
    });
    const downloads = requests.length;
    expect(downloads).toBe(2);
    const second = await provisionKeycloak({
      root,
      log,
      version,
      repository: 'http://127.0.0.1:9',
      javaHome,
    });
    expect(second).toEqual(first);
    expect(requests.length).toBe(downloads);
  });

  it('fails with a clear message when offline and nothing is cached', async () => {
    const root = join(scratch, 'offline');
    await expect(
      provisionKeycloak({ root, log: () => {}, version, repository: 'http://127.0.0.1:9', jdk }),
    ).rejects.toThrow(
      /could not download .*keycloak-quarkus-dist-0\.0\.1-test\.tar\.gz .*network access to Maven Central/,
    );
  });

  it('refuses an archive whose SHA-512 does not match', async () => {
    const root = join(scratch, 'tampered');
    const other = createServer((request, response) =>
      response.end(request.url?.endsWith('.sha512') ? '00'.repeat(64) : archive),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      await expect(provisionKeycloak({ root, log: () => {}, version, repository: url, jdk })).rejects.toThrow(
        /SHA-512 does not match/,
      );
      expect(existsSync(keycloakCachePaths(root, version).manifest)).toBe(false);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
