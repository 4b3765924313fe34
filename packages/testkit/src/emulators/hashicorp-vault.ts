import { randomBytes, randomUUID } from 'node:crypto';
import {
  type EmulatorReply,
  type EmulatorRequest,
  startLoopbackEmulatorServer,
} from './internal/loopback-emulator-server.ts';

/**
 * Options of {@link startHashiCorpVaultEmulator}.
 *
 * @example
 * ```ts
 * const vault = await startHashiCorpVaultEmulator({ namespace: 'admin/finance', tokenTtlSeconds: 60 });
 * ```
 */
export interface HashiCorpVaultEmulatorOptions {
  /** Serve HTTPS with the testkit's test certificate (default `true`); `false` serves plain HTTP. */
  readonly tls?: boolean;
  /** When set, every request must carry this `X-Vault-Namespace`; others are refused with 403. */
  readonly namespace?: string;
  /** Lease of tokens issued by logins, seconds (default 3600). */
  readonly tokenTtlSeconds?: number;
  /** Longest a login token can be renewed to, seconds after login (default 4 × `tokenTtlSeconds`). */
  readonly tokenMaxTtlSeconds?: number;
  /** Whether login tokens can be renewed (default `true`). */
  readonly renewable?: boolean;
  /** KV version 2 mounts it serves (default `['secret']`). */
  readonly mounts?: readonly string[];
  /** Source of time for token expiry, ms since the epoch (default `Date.now`). */
  readonly clock?: () => number;
}

/**
 * Counters of the requests a {@link HashiCorpVaultEmulator} has answered.
 *
 * @example
 * ```ts
 * expect(vault.counts()).toMatchObject({ logins: 1, renewals: 0, reads: 3 });
 * ```
 */
export interface HashiCorpVaultEmulatorCounts {
  /** KV reads answered with a secret, a 404 or a denial (token checks passed). */
  readonly reads: number;
  /** AppRole and Kubernetes logins answered, refused ones included. */
  readonly logins: number;
  /** `renew-self` requests answered, refused ones included. */
  readonly renewals: number;
  /** Every request received, faulted ones included. */
  readonly requests: number;
}

/**
 * A running HashiCorp Vault emulator; see {@link startHashiCorpVaultEmulator}.
 *
 * @example
 * ```ts
 * vault.put('dual-auth/agent-client-id', 'finance-agent');
 * vault.expireTokens(); // the next read is refused with 403 until the client logs in again
 * ```
 */
export interface HashiCorpVaultEmulator {
  /** `https://127.0.0.1:PORT` (or `http://` without TLS), the value of `VAULT_ADDR`. */
  readonly address: string;
  /** A token that never expires (like a root token). */
  readonly rootToken: string;
  /** AppRole credentials the `approle` mount accepts. */
  readonly roleId: string;
  readonly secretId: string;
  /** The Kubernetes auth role and the service account JWT the `kubernetes` mount accepts. */
  readonly kubernetesRole: string;
  readonly kubernetesJwt: string;
  /** Stores a new version of the KV v2 secret at `path`; a string is stored as the field `value`. */
  put(path: string, data: string | Readonly<Record<string, unknown>>, mount?: string): void;
  remove(path: string, mount?: string): void;
  /** Makes reads of `path` answer 403 permission denied (`allow` undoes it). */
  deny(path: string, mount?: string): void;
  allow(path: string, mount?: string): void;
  /** Issues a token with the given lease (default: never expires). */
  issueToken(options?: { readonly ttlSeconds?: number; readonly renewable?: boolean }): string;
  /** Makes every token issued so far (the root token included) expired. */
  expireTokens(): void;
  /** Refuses every login and every token, as if the credentials were revoked. */
  failAuthentication(fail?: boolean): void;
  /** Delay before every answer, ms (0 to stop). */
  setLatency(milliseconds: number): void;
  /** `drop` resets connections, `unavailable` answers 503 (sealed), `none` restores service. */
  setFault(mode: 'none' | 'drop' | 'unavailable'): void;
  /** The `X-Vault-Namespace` header of every request so far (`undefined` when absent). */
  namespacesSeen(): readonly (string | undefined)[];
  counts(): HashiCorpVaultEmulatorCounts;
  /** Stops the server and ends open connections. Safe to call twice. */
  close(): Promise<void>;
}

interface TokenRecord {
  /** ms since the epoch; `undefined` never expires. */
  expiresAt: number | undefined;
  readonly maxExpiresAt: number | undefined;
  readonly ttlSeconds: number;
  readonly renewable: boolean;
}

interface StoredVersion {
  readonly data: Readonly<Record<string, unknown>>;
  readonly version: number;
  readonly createdTime: string;
}

const permissionDenied: EmulatorReply = { status: 403, body: { errors: ['permission denied'] } };

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Starts an emulator of the HashiCorp Vault HTTP API on 127.0.0.1: AppRole and Kubernetes
 * logins, `auth/token/renew-self`, and KV version 2 reads (`GET /v1/<mount>/data/<path>`) checked
 * against `X-Vault-Token` (and `X-Vault-Namespace` when configured). Tokens carry a lease, so
 * renewal and re-login can be tested; errors have Vault's `{"errors": […]}` shape, so the real
 * `node-vault` client works against it unchanged.
 *
 * @example
 * ```ts
 * const vault = await startHashiCorpVaultEmulator();
 * vault.put('dual-auth/agent-client-id', 'finance-agent');
 * const client = nodeVault({ endpoint: vault.address, requestOptions: { ca: testTls().ca } });
 * await client.approleLogin({ role_id: vault.roleId, secret_id: vault.secretId });
 * await client.read('secret/data/dual-auth/agent-client-id');
 * await vault.close();
 * ```
 */
export async function startHashiCorpVaultEmulator(
  options: HashiCorpVaultEmulatorOptions = {},
): Promise<HashiCorpVaultEmulator> {
  const clock = options.clock ?? Date.now;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const tokenMaxTtlSeconds = options.tokenMaxTtlSeconds ?? tokenTtlSeconds * 4;
  const mounts = options.mounts ?? ['secret'];
  const tokens = new Map<string, TokenRecord>();
  const secrets = new Map<string, StoredVersion>();
  const versions = new Map<string, number>();
  const denied = new Set<string>();
  const namespaces: (string | undefined)[] = [];
  const roleId = randomUUID();
  const secretId = randomUUID();
  const kubernetesRole = 'dual-auth-agent';
  const kubernetesJwt = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
  let authenticationFails = false;
  let reads = 0;
  let logins = 0;
  let renewals = 0;

  const newToken = (ttlSeconds: number | undefined, renewable: boolean): string => {
    const token = `hvs.${randomBytes(24).toString('base64url')}`;
    const now = clock();
    tokens.set(token, {
      expiresAt: ttlSeconds === undefined ? undefined : now + ttlSeconds * 1000,
      maxExpiresAt: ttlSeconds === undefined ? undefined : now + tokenMaxTtlSeconds * 1000,
      ttlSeconds: ttlSeconds ?? 0,
      renewable,
    });
    return token;
  };
  const rootToken = newToken(undefined, false);

  const validToken = (request: EmulatorRequest): [string, TokenRecord] | undefined => {
    const token = header(request, 'x-vault-token');
    const record = token === undefined ? undefined : tokens.get(token);
    if (token === undefined || record === undefined || authenticationFails) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= clock()) return undefined;
    return [token, record];
  };

  // Every successful Vault answer has this envelope around its `data` or `auth`.
  const envelope = (fields: { data?: unknown; auth?: unknown; mount_type?: string }): EmulatorReply => ({
    status: 200,
    body: {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: null,
      wrap_info: null,
      warnings: null,
      auth: null,
      ...fields,
    },
  });

  const authReply = (token: string, record: TokenRecord): EmulatorReply =>
    envelope({
      auth: {
        client_token: token,
        accessor: randomBytes(12).toString('base64url'),
        policies: ['default', 'dual-auth-read'],
        token_policies: ['default', 'dual-auth-read'],
        lease_duration:
          record.expiresAt === undefined ? 0 : Math.max(0, Math.round((record.expiresAt - clock()) / 1000)),
        renewable: record.renewable,
        entity_id: '',
        token_type: 'service',
        orphan: true,
      },
    });

  const login = (request: EmulatorRequest, method: string): EmulatorReply => {
    logins++;
    const body = parseJson(request.body);
    if (method === 'approle') {
      if (authenticationFails || body.role_id !== roleId || body.secret_id !== secretId)
        return { status: 400, body: { errors: ['invalid role or secret ID'] } };
    } else {
      if (body.role !== kubernetesRole) return { status: 400, body: { errors: ['invalid role name'] } };
      if (authenticationFails || body.jwt !== kubernetesJwt) return permissionDenied;
    }
    const token = newToken(tokenTtlSeconds, options.renewable ?? true);
    return authReply(token, tokens.get(token) as TokenRecord);
  };

  const renewSelf = (request: EmulatorRequest): EmulatorReply => {
    renewals++;
    const valid = validToken(request);
    if (valid === undefined) return permissionDenied;
    const [token, record] = valid;
    if (!record.renewable) return { status: 400, body: { errors: ['lease is not renewable'] } };
    if (record.expiresAt !== undefined && record.maxExpiresAt !== undefined)
      record.expiresAt = Math.min(clock() + record.ttlSeconds * 1000, record.maxExpiresAt);
    return authReply(token, record);
  };

  const readSecret = (request: EmulatorRequest, key: string): EmulatorReply => {
    if (validToken(request) === undefined) return permissionDenied;
    reads++;
    if (denied.has(key)) return permissionDenied;
    const stored = secrets.get(key);
    if (stored === undefined) return { status: 404, body: { errors: [] } };
    return envelope({
      data: {
        data: stored.data,
        metadata: {
          created_time: stored.createdTime,
          custom_metadata: null,
          deletion_time: '',
          destroyed: false,
          version: stored.version,
        },
      },
      mount_type: 'kv',
    });
  };

  const server = await startLoopbackEmulatorServer({
    tls: options.tls ?? true,
    unavailableReply: { status: 503, body: { errors: ['Vault is sealed'] } },
    handle(request) {
      const namespace = header(request, 'x-vault-namespace');
      namespaces.push(namespace);
      if (options.namespace !== undefined && namespace?.replace(/\/$/, '') !== options.namespace)
        return permissionDenied;
      const path = request.url.pathname;
      const loginPath = /^\/v1\/auth\/(approle|kubernetes)\/login$/.exec(path);
      if (request.method === 'POST' && loginPath?.[1] !== undefined) return login(request, loginPath[1]);
      if (request.method === 'POST' && path === '/v1/auth/token/renew-self') return renewSelf(request);
      if (request.method === 'GET' && path.startsWith('/v1/')) {
        const rest = decodeURIComponent(path.slice('/v1/'.length));
        const mount = mounts.find((candidate) => rest.startsWith(`${candidate}/data/`));
        if (mount !== undefined) return readSecret(request, rest);
        return { status: 404, body: { errors: [`no handler for route "${rest}". route entry not found.`] } };
      }
      return undefined;
    },
  });

  const keyOf = (path: string, mount = 'secret') => `${mount}/data/${path.replace(/^\//, '')}`;

  return {
    address: server.url,
    rootToken,
    roleId,
    secretId,
    kubernetesRole,
    kubernetesJwt,
    put(path, data, mount) {
      const key = keyOf(path, mount);
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      secrets.set(key, {
        data: typeof data === 'string' ? { value: data } : { ...data },
        version,
        createdTime: new Date(clock()).toISOString(),
      });
    },
    remove: (path, mount) => void secrets.delete(keyOf(path, mount)),
    deny: (path, mount) => void denied.add(keyOf(path, mount)),
    allow: (path, mount) => void denied.delete(keyOf(path, mount)),
    issueToken: (issue = {}) => newToken(issue.ttlSeconds, issue.renewable ?? false),
    expireTokens() {
      const now = clock();
      for (const record of tokens.values()) record.expiresAt = now;
    },
    failAuthentication(fail = true) {
      authenticationFails = fail;
    },
    setLatency(milliseconds) {
      server.faults.latencyMs = milliseconds;
    },
    setFault(mode) {
      server.faults.mode = mode;
    },
    namespacesSeen: () => [...namespaces],
    counts: () => ({ reads, logins, renewals, requests: server.requestCount }),
    close: () => server.close(),
  };
}
