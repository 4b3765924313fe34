import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { iamArtefactPath } from '@dual-auth/iam';
import { defaultIdpFixture } from '../idp/default-fixture.ts';
import type { AgentFixture, HumanFixture, IdpFixture } from '../idp/types.ts';
import { testTls } from '../tls/test-tls.ts';
import { type InstalledKeycloak, installedKeycloak } from './installed-keycloak.ts';
import {
  type RealKeycloakClientAuth,
  realKeycloakFixture,
  realKeycloakRealm,
} from './real-keycloak-realm.ts';

/**
 * Options of {@link startRealKeycloak}.
 *
 * @example
 * ```ts
 * const keycloak = await startRealKeycloak({ startTimeoutMs: 300_000 } satisfies RealKeycloakOptions);
 * ```
 */
export interface RealKeycloakOptions {
  /** The people and clients to import (default: `defaultIdpFixture`). */
  readonly fixture?: IdpFixture;
  /** Longest wait for Keycloak to answer, including a first build (default 240 s). */
  readonly startTimeoutMs?: number;
  /** The provisioned distribution (default: {@link installedKeycloak}). */
  readonly keycloak?: InstalledKeycloak;
}

/**
 * One realm of the running Keycloak, in the shape of the embedded IdP's profile.
 *
 * @example
 * ```ts
 * const realm: RealKeycloakRealm = keycloak.realm('client_secret_jwt');
 * const adapter = new KeycloakAdapter({ ...config, tokenUrl: realm.tokenEndpoint });
 * ```
 */
export interface RealKeycloakRealm {
  readonly realm: string;
  /** How this realm's agents authenticate. */
  readonly clientAuth: RealKeycloakClientAuth;
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The API audience the shipped audience mapper adds. */
  readonly audience: string;
  /** Scopes to request: none (the realm has only Keycloak's default client scopes). */
  readonly scope: readonly string[];
  /** The role an agent needs (`dual-auth-agent`) and the one a human needs (`dual-auth-human`). */
  readonly agentRole: string;
  readonly humanRole: string;
  readonly agents: readonly AgentFixture[];
  /** Humans under their Keycloak user ids. */
  readonly humans: readonly HumanFixture[];
}

/**
 * A real Keycloak started by {@link startRealKeycloak}.
 *
 * @example
 * ```ts
 * const keycloak: RealKeycloak = await startRealKeycloak();
 * try { console.log(keycloak.version, keycloak.startMs); } finally { await keycloak.close(); }
 * ```
 */
export interface RealKeycloak {
  /** `https://127.0.0.1:PORT` (the testkit's test CA signs its certificate). */
  readonly baseUrl: string;
  readonly version: string;
  /** Milliseconds from spawn to the first answered discovery request. */
  readonly startMs: number;
  /** The realm whose agents use this client authentication. */
  realm(clientAuth: RealKeycloakClientAuth): RealKeycloakRealm;
  /** The last lines Keycloak printed (for failure messages; holds no secrets of the tests). */
  logTail(): string;
  /** Stops Keycloak (SIGTERM, then SIGKILL after 10 s) and removes its temporary files. */
  close(): Promise<void>;
}

const realmNames: Record<RealKeycloakClientAuth, string> = {
  client_secret_jwt: 'dual-auth',
  private_key_jwt: 'dual-auth-pkjwt',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function getStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve) => {
    const request = https.get(url, { ca, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The distribution's data/import, providers/ and build state are shared by every start: one
// Keycloak at a time per distribution, the others wait (bounded).
async function lockDistribution(home: string, timeoutMs: number): Promise<() => void> {
  const lock = join(home, '.dual-auth-lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      const owner = Number(
        existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : Number.NaN,
      );
      if (Number.isInteger(owner) && !isAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`another test run (pid ${owner}) is using the Keycloak in ${home}; gave up waiting`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function writeIfChanged(path: string, bytes: Buffer): void {
  if (existsSync(path) && readFileSync(path).equals(bytes)) return;
  writeFileSync(path, bytes);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    const force = setTimeout(() => kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    kill('SIGTERM');
  });
}

/**
 * Starts the provisioned real Keycloak in dev mode (`kc.sh start-dev`) on 127.0.0.1 only, HTTPS
 * on a free port with the testkit's test certificate, an in-memory H2 database, the `scripts`
 * feature, the act-mapper provider JAR that `@dual-auth/iam`'s `dual-auth-keycloak-jar` packs, and
 * two realms imported from the shipped realm import and the fixture: `dual-auth`
 * (`client_secret_jwt`) and `dual-auth-pkjwt` (`private_key_jwt`). Waits (bounded) until
 * discovery answers; on failure or timeout Keycloak is killed and the error carries its last log
 * lines. Always `close()` it (e.g. in `afterAll` or a vitest globalSetup teardown); the process
 * group is also killed when this process exits.
 *
 * @example
 * ```ts
 * const keycloak = await startRealKeycloak();
 * const realm = keycloak.realm('private_key_jwt');
 * const response = await fetch(realm.discoveryUrl); // trust the test CA first: trustTestCa()
 * await keycloak.close();
 * ```
 * @throws {Error} when Keycloak is not provisioned, exits, or does not answer in time.
 */
export async function startRealKeycloak(options: RealKeycloakOptions = {}): Promise<RealKeycloak> {
  const keycloak = options.keycloak ?? installedKeycloak();
  const fixture = options.fixture ?? defaultIdpFixture();
  const timeoutMs = options.startTimeoutMs ?? 240_000;
  const started = Date.now();
  const unlock = await lockDistribution(keycloak.home, timeoutMs);
  const scratch = mkdtempSync(join(tmpdir(), 'dual-auth-keycloak-'));
  let child: ChildProcess | undefined;
  const tail: string[] = [];
  const onExit = () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    const tls = testTls();
    writeFileSync(join(scratch, 'server.pem'), tls.cert);
    writeFileSync(join(scratch, 'server-key.pem'), tls.key, { mode: 0o600 });
    // The JVM resolves names from this file only (jdk.net.hosts.file), never from DNS: Liquibase
    // names the schema lock's holder after the first non-loopback interface address, a reverse
    // lookup that would otherwise reach the machine's resolver.
    writeFileSync(join(scratch, 'hosts'), `127.0.0.1 localhost ${hostname()}\n::1 localhost\n`);
    const jar = join(scratch, 'dual-auth-act-mapper.jar');
    const displayClaims = (fixture.actDisplayClaims ?? []).join(',');
    execFileSync(
      process.execPath,
      [
        iamArtefactPath('keycloak/pack-provider-jar.mjs'),
        '--out',
        jar,
        ...(displayClaims === '' ? [] : ['--display-claims', displayClaims]),
      ],
      { stdio: 'ignore' },
    );
    writeIfChanged(join(keycloak.home, 'providers', 'dual-auth-act-mapper.jar'), readFileSync(jar));
    const importDirectory = join(keycloak.home, 'data', 'import');
    rmSync(importDirectory, { recursive: true, force: true });
    mkdirSync(importDirectory, { recursive: true });
    for (const [clientAuth, realm] of Object.entries(realmNames) as [RealKeycloakClientAuth, string][]) {
      writeFileSync(
        join(importDirectory, `${realm}-realm.json`),
        JSON.stringify(realKeycloakRealm(fixture, realm, clientAuth)),
      );
    }

    const port = await freePort();
    // Dev mode serves plain HTTP whatever --http-enabled says: give it a free port too.
    const httpPort = await freePort();
    const baseUrl = `https://127.0.0.1:${port}`;
    child = spawn(
      join(keycloak.home, 'bin', 'kc.sh'),
      [
        'start-dev',
        '--features=scripts',
        '--import-realm',
        '--db=dev-mem',
        '--http-host=127.0.0.1',
        `--http-port=${httpPort}`,
        `--https-port=${port}`,
        `--https-certificate-file=${join(scratch, 'server.pem')}`,
        `--https-certificate-key-file=${join(scratch, 'server-key.pem')}`,
        '--hostname-strict=false',
        '--tracing-enabled=false',
        '--log-level=INFO',
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: scratch,
          JAVA_HOME: keycloak.javaHome,
          // Liquibase (Keycloak's schema migrations) otherwise looks up config.liquibase.com for
          // its usage analytics: nothing may leave the machine.
          JAVA_OPTS_APPEND: [
            `-Djava.io.tmpdir=${scratch}`,
            '-Dliquibase.analytics.enabled=false',
            `-Djdk.net.hosts.file=${join(scratch, 'hosts')}`,
          ].join(' '),
        },
      },
    );
    process.once('exit', onExit);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 200) tail.shift();
      });
    }
    const exited = new Promise<never>((_resolve, reject) =>
      child?.once('exit', (code, signal) =>
        reject(new Error(`Keycloak exited (${signal ?? `code ${code}`}) before answering`)),
      ),
    );
    exited.catch(() => {});
    const discovery = `${baseUrl}/realms/${realmNames.client_secret_jwt}/.well-known/openid-configuration`;
    const deadline = started + timeoutMs;
    const ready = (async () => {
      while (Date.now() < deadline) {
        if (child?.exitCode !== null || child.signalCode !== null)
          throw new Error('Keycloak exited before answering');
        if ((await getStatus(discovery, tls.ca)) === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error(`Keycloak did not answer ${discovery} within ${timeoutMs} ms`);
    })();
    await Promise.race([ready, exited]);
    const startMs = Date.now() - started;
    const running = child;
    const realmOf = (clientAuth: RealKeycloakClientAuth): RealKeycloakRealm => {
      const realm = realmNames[clientAuth];
      const issuer = `${baseUrl}/realms/${realm}`;
      const people = realKeycloakFixture(fixture, clientAuth);
      return {
        realm,
        clientAuth,
        issuer,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        tokenEndpoint: `${issuer}/protocol/openid-connect/token`,
        jwksUri: `${issuer}/protocol/openid-connect/certs`,
        audience: fixture.api.identifier,
        scope: [],
        agentRole: people.agentRole,
        humanRole: people.humanRole,
        agents: people.agents,
        humans: people.humans,
      };
    };
    let closed: Promise<void> | undefined;
    return {
      baseUrl,
      version: keycloak.version,
      startMs,
      realm: realmOf,
      logTail: () => tail.join('\n'),
      close: () => {
        closed ??= stop(running).finally(() => {
          process.removeListener('exit', onExit);
          rmSync(scratch, { recursive: true, force: true });
          unlock();
        });
        return closed;
      },
    };
  } catch (error) {
    if (child !== undefined) await stop(child);
    process.removeListener('exit', onExit);
    rmSync(scratch, { recursive: true, force: true });
    unlock();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- Keycloak's last lines ---\n${tail.slice(-40).join('\n')}`, {
      cause: error,
    });
  }
}
