import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Vendor } from '@dual-auth/core';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import { testTls } from '../tls/test-tls.ts';
import { createVendorProvider } from './create-vendor-provider.ts';
import { defaultIdpFixture, fixtureKeys } from './default-fixture.ts';
import { createDirectory, type Directory } from './directory.ts';
import { serveDirectory } from './directory-routes.ts';
import { FaultSwitches } from './fault-switches.ts';
import { MemoryStorage } from './memory-storage.ts';
import type { EmbeddedIdp, EmbeddedIdpOptions, IdpProfile, WebClientFixture } from './types.ts';
import { type VendorEmulation, vendorEmulations } from './vendor-emulation.ts';
import type { CredentialsExchangeAction } from './vendors/auth0-action.ts';

/**
 * Options of {@link startEmbeddedIdp} beyond the declarative ones: code the Auth0 profile runs.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['auth0'], auth0Action: () => {} }); // an Action that sets no claim
 * ```
 */
export interface EmbeddedIdpHooks {
  /** Replaces the Auth0 credentials-exchange Action (default: the one dual-auth ships). */
  readonly auth0Action?: CredentialsExchangeAction;
  /**
   * `false` runs the Keycloak profile without the act protocol mapper, as a realm where it was
   * never deployed: tokens are issued without `act`, `delegation` and `agbac_ver` (default: the
   * mapper dual-auth ships).
   */
  readonly keycloakActMapper?: false;
}

interface RunningProfile {
  readonly emulation: VendorEmulation;
  readonly mount: string;
  readonly directory: Directory;
  readonly faults: FaultSwitches;
  readonly issuer: string;
  signingKeys: JWK[];
  provider: Provider;
  handler: ReturnType<Provider['callback']>;
  requests: number;
}

function checkWebClients(
  webClients: readonly WebClientFixture[],
  agentIds: readonly string[],
): readonly WebClientFixture[] {
  const seen = new Set<string>();
  return webClients.map((client) => {
    if (typeof client?.clientId !== 'string' || client.clientId.trim() === '') {
      throw new TypeError('webClients: clientId must be a non-empty string');
    }
    if (seen.has(client.clientId) || agentIds.includes(client.clientId)) {
      throw new TypeError('webClients: each clientId must be unique and not an agent client id');
    }
    seen.add(client.clientId);
    if (typeof client.clientSecret !== 'string' || client.clientSecret.length < 32) {
      throw new TypeError('webClients: clientSecret must have at least 32 characters');
    }
    if (!Array.isArray(client.redirectUris) || client.redirectUris.length === 0) {
      throw new TypeError('webClients: redirectUris must list at least one URI');
    }
    for (const uri of client.redirectUris) {
      let parsed: URL;
      try {
        parsed = new URL(uri);
      } catch {
        throw new TypeError('webClients: each redirect URI must be an absolute URL');
      }
      const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
        throw new TypeError('webClients: redirect URIs must be https:, or http: on a loopback address');
      }
      if (parsed.hash !== '') throw new TypeError('webClients: redirect URIs must not have a fragment');
    }
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUris: [...client.redirectUris],
      ...(client.audience === undefined ? {} : { audience: [...client.audience] }),
    };
  });
}

function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

/**
 * Starts the embedded identity provider on 127.0.0.1: one oidc-provider per vendor profile on one
 * port, each answering with the vendor's URLs, issuer, client-authentication rules, token claim
 * layout, errors and pre-approval rules, with switchable faults for reliability tests.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['keycloak'] });
 * const keycloak = idp.profile('keycloak');
 * const response = await fetch(keycloak.tokenEndpoint, { method: 'POST', body: form });
 * await idp.close();
 * ```
 */
export async function startEmbeddedIdp(
  options: EmbeddedIdpOptions & EmbeddedIdpHooks = {},
): Promise<EmbeddedIdp> {
  const fixture = options.fixture ?? defaultIdpFixture();
  const webClients = checkWebClients(
    options.webClients ?? [],
    fixture.agents.map((agent) => agent.clientId),
  );
  const useHttps = options.https ?? true;
  const selected = new Set<Vendor>(options.vendors ?? vendorEmulations.map(({ vendor }) => vendor));
  const hooks: EmbeddedIdpHooks = {
    ...(options.auth0Action ? { auth0Action: options.auth0Action } : {}),
    ...(options.keycloakActMapper === false ? { keycloakActMapper: false as const } : {}),
  };
  const storage = new MemoryStorage();
  const running: RunningProfile[] = [];
  const tls = testTls();

  const server = useHttps
    ? https.createServer(
        { cert: tls.cert, key: tls.key },
        (request, response) => void route(request, response),
      )
    : http.createServer((request, response) => void route(request, response));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `${useHttps ? 'https' : 'http'}://127.0.0.1:${port}`;

  function buildProvider(profile: Omit<RunningProfile, 'provider' | 'handler'>): Provider {
    return createVendorProvider({
      emulation: profile.emulation,
      baseUrl,
      directory: profile.directory,
      signingKeys: profile.signingKeys,
      storage,
      hooks,
      ...(webClients.length > 0 ? { webClients } : {}),
      onTokenRequest: () => {
        const target = running.find((candidate) => candidate.emulation === profile.emulation);
        if (target) target.requests++;
      },
    });
  }

  for (const emulation of vendorEmulations) {
    if (!selected.has(emulation.vendor)) continue;
    const { spec, vendor } = emulation;
    const partial = {
      emulation,
      mount: spec.mount(fixture),
      directory: createDirectory(vendor, fixture),
      faults: new FaultSwitches(emulation),
      issuer: spec.issuer(baseUrl, fixture),
      signingKeys: [fixtureKeys().signing[vendor]],
      requests: 0,
    };
    const provider = buildProvider(partial);
    running.push({ ...partial, provider, handler: provider.callback() });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = request.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      for (const profile of running) {
        const { spec } = profile.emulation;
        const directoryBase = spec.directoryPath(fixture);
        if (path.startsWith(`${directoryBase}/`)) {
          return await serveDirectory(request, response, path.slice(directoryBase.length), {
            routes: profile.emulation.directoryRoutes,
            directory: profile.directory,
            issuer: profile.issuer,
            jwks: (): JSONWebKeySet => ({ keys: profile.signingKeys.map(publicJwk) }),
          });
        }
        const discoveryAlias = spec.discoveryPath?.(fixture);
        const effectiveUrl =
          discoveryAlias !== undefined && path === discoveryAlias
            ? `${profile.mount}/.well-known/openid-configuration`
            : url;
        if (profile.mount !== '' && !effectiveUrl.startsWith(`${profile.mount}/`)) continue;
        const local = effectiveUrl.slice(profile.mount.length) || '/';
        const localPath = local.split('?')[0];
        if (localPath === spec.routes.token || localPath === spec.routes.jwks) {
          if (profile.faults.delayMs > 0)
            await new Promise((resolve) => setTimeout(resolve, profile.faults.delayMs));
          if (localPath === spec.routes.token && profile.faults.intercept(request, response)) {
            profile.requests++;
            return;
          }
        }
        (request as IncomingMessage & { originalUrl?: string }).originalUrl = effectiveUrl;
        request.url = local;
        return profile.handler(request, response);
      }
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    } catch {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":"server_error"}');
    }
  }

  const profiles: Partial<Record<Vendor, IdpProfile>> = {};
  for (const profile of running) {
    const { emulation, directory } = profile;
    const { spec, vendor } = emulation;
    const endpoint = (routePath: string) => `${baseUrl}${profile.mount}${routePath}`;
    profiles[vendor] = Object.freeze({
      vendor,
      issuer: profile.issuer,
      discoveryUrl: `${baseUrl}${spec.discoveryPath?.(fixture) ?? `${profile.mount}/.well-known/openid-configuration`}`,
      authorizationEndpoint: endpoint(spec.loginRoutes.authorization),
      tokenEndpoint: endpoint(spec.routes.token),
      jwksUri: endpoint(spec.routes.jwks),
      audience: emulation.audience(fixture),
      scope: [...emulation.requestScopes(fixture)],
      directoryUrl: `${baseUrl}${spec.directoryPath(fixture)}`,
      agents: fixture.agents,
      humans: directory.humans,
      tokenRequestCount: () => profile.requests,
      faults: {
        delay: (milliseconds: number) => {
          profile.faults.delayMs = milliseconds;
        },
        failNext: (count: number, status?: number) => profile.faults.failNext(count, status),
        rateLimitNext: (count: number, waitSeconds?: number) =>
          profile.faults.rateLimitNext(count, waitSeconds),
        dropNext: (count: number) => profile.faults.dropNext(count),
        garbleNext: (count, kind) => profile.faults.garbleNext(count, kind),
        reset: () => profile.faults.reset(),
        rotateSigningKey: async ({ dropOld = false } = {}) => {
          const { privateKey } = await generateKeyPair('RS256', { extractable: true });
          const fresh = {
            ...(await exportJWK(privateKey)),
            kid: `${vendor}-signing-${Date.now()}`,
            alg: 'RS256',
            use: 'sig',
          };
          profile.signingKeys = dropOld ? [fresh] : [fresh, ...profile.signingKeys];
          profile.provider = buildProvider(profile);
          profile.handler = profile.provider.callback();
        },
      },
    } satisfies IdpProfile);
  }

  let closed = false;
  return Object.freeze({
    baseUrl,
    ca: useHttps ? tls.ca : undefined,
    profiles,
    profile(vendor: Vendor): IdpProfile {
      const profile = profiles[vendor];
      if (profile === undefined) throw new TypeError(`the ${vendor} profile was not started`);
      return profile;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
