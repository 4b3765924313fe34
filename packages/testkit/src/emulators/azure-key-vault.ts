import { randomBytes, randomUUID } from 'node:crypto';
import {
  type EmulatorReply,
  type EmulatorRequest,
  startLoopbackEmulatorServer,
} from './internal/loopback-emulator-server.ts';

/**
 * Options of {@link startAzureKeyVaultEmulator}.
 *
 * @example
 * ```ts
 * const vault = await startAzureKeyVaultEmulator({ tenantId: 'contoso', tokenLifetimeSeconds: 60 });
 * ```
 */
export interface AzureKeyVaultEmulatorOptions {
  /** Directory (tenant) id named in the bearer challenge and served by the token endpoint. */
  readonly tenantId?: string;
  /** Application (client) id that the emulated token endpoint accepts. */
  readonly clientId?: string;
  /** Client secret that the emulated token endpoint accepts (default: random). */
  readonly clientSecret?: string;
  /** Lifetime of issued access tokens, seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
}

/**
 * Counters of the requests an {@link AzureKeyVaultEmulator} has answered.
 *
 * @example
 * ```ts
 * expect(vault.counts()).toMatchObject({ challenges: 1, tokenRequests: 1, secretReads: 1 });
 * ```
 */
export interface AzureKeyVaultEmulatorCounts {
  /** Authorized secret reads answered (200, 403 or 404). */
  readonly secretReads: number;
  /** 401 bearer challenges sent. */
  readonly challenges: number;
  /** Requests to the token endpoint. */
  readonly tokenRequests: number;
  /** Every request received, faulted ones included. */
  readonly requests: number;
}

/**
 * A running Azure Key Vault emulator; see {@link startAzureKeyVaultEmulator}.
 *
 * @example
 * ```ts
 * vault.put('dual-auth-agent-client-secret', 'value');
 * vault.deny('dual-auth-agent-client-secret'); // reads now answer 403 Forbidden
 * ```
 */
export interface AzureKeyVaultEmulator {
  /** The vault URL to give `SecretClient` (`https://127.0.0.1:PORT`). */
  readonly vaultUrl: string;
  /** The Entra ID authority host to give `ClientSecretCredential` (the same server). */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** A fresh access token the vault accepts, for a static `TokenCredential`. */
  issueAccessToken(): { readonly token: string; readonly expiresOnTimestamp: number };
  /** Stores (or replaces with a new version) the secret `name`. */
  put(name: string, value: string, tags?: Readonly<Record<string, string>>): void;
  /** Deletes the secret `name`. */
  remove(name: string): void;
  /** Makes reads of `name` answer 403 Forbidden (`allow` undoes it). */
  deny(name: string): void;
  allow(name: string): void;
  /** Delay before every answer, ms (0 to stop). */
  setLatency(milliseconds: number): void;
  /** `drop` resets connections, `unavailable` answers 503, `none` restores normal service. */
  setFault(mode: 'none' | 'drop' | 'unavailable'): void;
  /** Refuses client credentials at the token endpoint and every access token issued so far. */
  failAuthentication(fail?: boolean): void;
  counts(): AzureKeyVaultEmulatorCounts;
  /** Stops the server and ends open connections. Safe to call twice. */
  close(): Promise<void>;
}

const secretNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

interface StoredSecret {
  readonly value: string;
  readonly version: string;
  readonly created: number;
  readonly tags: Readonly<Record<string, string>>;
}

function vaultError(status: number, code: string, message: string, headers?: Record<string, string>) {
  return { status, body: { error: { code, message } }, ...(headers === undefined ? {} : { headers }) };
}

/**
 * Starts an HTTPS emulator of Azure Key Vault's secrets API (`GET /secrets/NAME/?api-version=…`)
 * and of the Entra ID token endpoint on 127.0.0.1, using the testkit's test TLS certificate. It
 * speaks the real protocol, so the real `@azure/keyvault-secrets` `SecretClient` (with
 * `disableChallengeResourceVerification`) and a real `ClientSecretCredential` (with
 * `authorityHost` and `disableInstanceDiscovery`) talk to it unchanged: the first request gets the
 * 401 bearer challenge, tokens come from `/{tenant}/oauth2/v2.0/token`, and the vault checks them.
 *
 * @example
 * ```ts
 * const vault = await startAzureKeyVaultEmulator();
 * vault.put('dual-auth-agent-client-id', 'finance-agent');
 * const credential = new ClientSecretCredential(vault.tenantId, vault.clientId, vault.clientSecret, {
 *   authorityHost: vault.authorityHost, disableInstanceDiscovery: true,
 * });
 * const client = new SecretClient(vault.vaultUrl, credential, { disableChallengeResourceVerification: true });
 * await vault.close();
 * ```
 */
export async function startAzureKeyVaultEmulator(
  options: AzureKeyVaultEmulatorOptions = {},
): Promise<AzureKeyVaultEmulator> {
  const tenantId = options.tenantId ?? '00000000-0000-4000-8000-00000000a2e1';
  const clientId = options.clientId ?? '00000000-0000-4000-8000-0000000c11e7';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const secrets = new Map<string, StoredSecret>();
  const denied = new Set<string>();
  const tokens = new Map<string, number>();
  let authenticationFails = false;
  let secretReads = 0;
  let challenges = 0;
  let tokenRequests = 0;
  let origin = '';

  const issueAccessToken = () => {
    const token = randomBytes(32).toString('base64url');
    const expiresOnTimestamp = Date.now() + tokenLifetimeSeconds * 1000;
    tokens.set(token, expiresOnTimestamp);
    return { token, expiresOnTimestamp };
  };

  const challenge = (message: string): EmulatorReply => {
    challenges++;
    return vaultError(401, 'Unauthorized', message, {
      'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
    });
  };

  const openIdConfiguration = (): EmulatorReply => ({
    status: 200,
    body: {
      issuer: `${origin}/${tenantId}/v2.0`,
      authorization_endpoint: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${origin}/${tenantId}/oauth2/v2.0/token`,
      end_session_endpoint: `${origin}/${tenantId}/oauth2/v2.0/logout`,
      jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'EU',
    },
  });

  const tokenEndpoint = (request: EmulatorRequest): EmulatorReply => {
    tokenRequests++;
    const form = new URLSearchParams(request.body);
    const oauthError = (status: number, error: string, description: string): EmulatorReply => ({
      status,
      body: { error, error_description: description, error_codes: [7000215], trace_id: randomUUID() },
    });
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: grant type not supported.');
    if (
      authenticationFails ||
      form.get('client_id') !== clientId ||
      form.get('client_secret') !== clientSecret
    ) {
      return oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    if (!(form.get('scope') ?? '').split(' ').includes('https://vault.azure.net/.default'))
      return oauthError(400, 'invalid_scope', 'AADSTS70011: The provided scope is not valid.');
    const { token } = issueAccessToken();
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: tokenLifetimeSeconds,
        ext_expires_in: tokenLifetimeSeconds,
        access_token: token,
      },
    };
  };

  const readSecret = (request: EmulatorRequest, name: string): EmulatorReply => {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return challenge('AKV10000: Request is missing a Bearer or PoP token.');
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now())
      return challenge('AKV10032: Invalid issuer or token.');
    if (!request.url.searchParams.has('api-version'))
      return vaultError(400, 'BadParameter', 'The api-version query parameter is missing.');
    if (!secretNamePattern.test(name))
      return vaultError(400, 'BadParameter', 'The secret name is not valid.');
    secretReads++;
    if (denied.has(name)) {
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: `The user, group or application does not have secrets get permission on key vault '127.0.0.1'.`,
            innererror: { code: 'AccessDenied' },
          },
        },
      };
    }
    const secret = secrets.get(name);
    if (secret === undefined) {
      return vaultError(
        404,
        'SecretNotFound',
        `A secret with (name/id) ${name} was not found in this key vault.`,
      );
    }
    const seconds = Math.floor(secret.created / 1000);
    return {
      status: 200,
      body: {
        value: secret.value,
        id: `${origin}/secrets/${name}/${secret.version}`,
        attributes: {
          enabled: true,
          created: seconds,
          updated: seconds,
          recoveryLevel: 'Recoverable+Purgeable',
          recoverableDays: 90,
        },
        tags: secret.tags,
      },
    };
  };

  const server = await startLoopbackEmulatorServer({
    tls: true,
    unavailableReply: vaultError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.'),
    handle(request) {
      const path = request.url.pathname;
      if (request.method === 'GET' && path === `/${tenantId}/v2.0/.well-known/openid-configuration`)
        return openIdConfiguration();
      if (request.method === 'POST' && path === `/${tenantId}/oauth2/v2.0/token`)
        return tokenEndpoint(request);
      const secretPath = /^\/secrets\/([^/]+)(?:\/[0-9a-f]*)?\/?$/.exec(path);
      if (request.method === 'GET' && secretPath?.[1] !== undefined)
        return readSecret(request, decodeURIComponent(secretPath[1]));
      return undefined;
    },
  });
  origin = server.url;

  return {
    vaultUrl: server.url,
    authorityHost: server.url,
    tenantId,
    clientId,
    clientSecret,
    issueAccessToken,
    put(name, value, tags = {}) {
      if (!secretNamePattern.test(name)) throw new TypeError('not a valid Key Vault secret name');
      secrets.set(name, { value, version: randomBytes(16).toString('hex'), created: Date.now(), tags });
    },
    remove: (name) => void secrets.delete(name),
    deny: (name) => void denied.add(name),
    allow: (name) => void denied.delete(name),
    setLatency(milliseconds) {
      server.faults.latencyMs = milliseconds;
    },
    setFault(mode) {
      server.faults.mode = mode;
    },
    failAuthentication(fail = true) {
      authenticationFails = fail;
      if (fail) tokens.clear();
    },
    counts: () => ({ secretReads, challenges, tokenRequests, requests: server.requestCount }),
    close: () => server.close(),
  };
}
