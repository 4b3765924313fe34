import { inspect } from 'node:util';
import {
  ACT_ASSERTION_TYPE,
  type Act,
  type ActAssertionSigner,
  type AdapterOptions,
  AGBAC_VERSION,
  accessTokenHash,
  type ClientAuthMethod,
  type DelegationMode,
  type DualAuthConfig,
  type IdpAdapter,
  isDualAuthError,
  type LogFields,
  type Logger,
  type PrivateKeyAlgorithm,
  Secret,
  type TokenRequestError,
  type TokenResponse,
  toDelegationClaim,
  type Vendor,
} from '@dual-auth/core';
import {
  type CryptoKey,
  createRemoteJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedIdp } from '../idp/start-embedded-idp.ts';
import type { AgentFixture, HumanFixture, IdpProfile } from '../idp/types.ts';
import { trustTestCa } from '../tls/test-tls.ts';

/**
 * The typed error a refusal must produce.
 *
 * @example
 * ```ts
 * const refusal: ExpectedRefusal = { status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS501051' };
 * ```
 */
export interface ExpectedRefusal {
  readonly status: number;
  readonly oauthError?: string;
  readonly vendorCode?: string;
}

/**
 * A refusal the IdP cannot make at its token endpoint, so it issues the token and marks it for the
 * API to deny (Keycloak: nothing can fail a client_credentials request for a missing role, and a
 * script mapper cannot either, so a refused human gets `dual_auth_refusal` instead of `act`).
 * `marked` asserts the mark on the issued token's claims.
 *
 * @example
 * ```ts
 * const humanNotApproved: IssuedRefusal = {
 *   marked: (claims) => expect(claims).toMatchObject({ dual_auth_refusal: expect.any(String) }),
 * };
 * ```
 */
export interface IssuedRefusal {
  marked(claims: JWTPayload): void;
}

/**
 * A real IdP for {@link describeIdpAdapter} instead of the embedded one: its endpoints and the
 * fixture it was set up with. It has no fault switches: the fault cases are skipped, and say so.
 *
 * @example
 * ```ts
 * const realIdp: ConformanceIdp = {
 *   profile: { ...keycloak.realm('client_secret_jwt'), faults: undefined },
 *   close: async () => {},
 * };
 * ```
 */
export interface ConformanceIdp {
  readonly profile: Pick<
    IdpProfile,
    'issuer' | 'tokenEndpoint' | 'jwksUri' | 'audience' | 'scope' | 'agents' | 'humans'
  > & { readonly faults?: undefined };
  /** Who plays which part (default the fixture's `finance-agent`, `rogue-agent` and `alice`). */
  readonly cast?: ConformanceCast;
  close(): Promise<void>;
}

/**
 * Which of a real IdP's agents and humans play which part in {@link describeIdpAdapter}: a live
 * tenant's clients and users have the tenant's ids, not the fixture's. Every other human of the
 * profile is one the IdP must refuse.
 *
 * @example
 * ```ts
 * const cast: ConformanceCast = { agent: '0oa1agent', rogueAgent: '0oa1rogue', approvedHuman: '00u1alice' };
 * ```
 */
export interface ConformanceCast {
  /** Client id of the pre-approved agent. */
  readonly agent: string;
  /** Client id of an agent that is not pre-approved. */
  readonly rogueAgent: string;
  /** User id of a human who approved the agent. */
  readonly approvedHuman: string;
}

/**
 * What an adapter's test gives {@link describeIdpAdapter}: how to build the adapter, which mode and
 * client authentication to exercise, where the human lands in the token, and how the vendor
 * refuses. The suite starts the embedded IdP, builds the configuration from its profile, and, in
 * hybrid mode, signs act assertions with its own application key.
 *
 * @example
 * ```ts
 * const harness: IdpAdapterHarness = {
 *   vendor: 'okta', mode: 'hybrid', authMethod: 'client_secret_basic',
 *   createAdapter: (config, options) => new OktaAdapter(config, options),
 *   refusals: { agentNotApproved, wrongCredentials, badScope: { scope: ['payroll.admin'], refusal } },
 * };
 * ```
 */
export interface IdpAdapterHarness {
  readonly vendor: Vendor;
  readonly mode: DelegationMode;
  readonly authMethod: ClientAuthMethod;
  /** Builds the adapter under test. */
  createAdapter(config: DualAuthConfig, options: AdapterOptions): IdpAdapter;
  /** Vendor settings added to the configuration (e.g. `AUTH0_ACT_CLAIM`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Claims of the access token that carry the human in agbac mode. */
  readonly humanClaims?: { readonly act: string; readonly delegation: string; readonly agbacVersion: string };
  /** Run against this real IdP instead of starting the embedded one (started in `beforeAll`). */
  readonly realIdp?: () => Promise<ConformanceIdp>;
  readonly refusals: {
    /** An agent without the agent role (`rogue-agent`). */
    readonly agentNotApproved: ExpectedRefusal | IssuedRefusal;
    /** A human without the role, or who did not approve the agent (agbac mode). */
    readonly humanNotApproved?: ExpectedRefusal | IssuedRefusal;
    /** A wrong client secret, or an assertion signed with a key the IdP does not know. */
    readonly wrongCredentials: ExpectedRefusal;
    /** A scope (or Entra resource) the IdP refuses. */
    readonly badScope: { readonly scope: readonly string[]; readonly refusal: ExpectedRefusal };
  };
}

const appId = 'https://app.dual-auth.test';
const garbageKinds = [
  'not-json',
  'truncated-json',
  'wrong-content-type',
  'oversized',
  'missing-token',
] as const;

function algorithmOf(jwk: JWK): PrivateKeyAlgorithm {
  const supported: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
  if (jwk.alg !== undefined && supported.includes(jwk.alg)) return jwk.alg as PrivateKeyAlgorithm;
  return jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'OKP' ? 'EdDSA' : 'RS256';
}

function expectRefusal(error: unknown, expected: ExpectedRefusal): TokenRequestError {
  expect(
    isDualAuthError(error, 'ERR_TOKEN_REQUEST'),
    `expected a TokenRequestError, got ${String(error)}`,
  ).toBe(true);
  const refusal = error as TokenRequestError;
  expect({
    status: refusal.status,
    oauthError: refusal.oauthError,
    vendorCode: refusal.vendorCode,
  }).toMatchObject(expected);
  return refusal;
}

async function expectRefused(
  request: () => Promise<TokenResponse>,
  expected: ExpectedRefusal | IssuedRefusal,
): Promise<void> {
  if ('marked' in expected) {
    expected.marked(decodeJwt((await request()).accessToken));
    return;
  }
  expectRefusal(await rejection(request()), expected);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the request was expected to fail'),
    (reason: unknown) => reason,
  );
}

function captureLogger(lines: string[]): Logger {
  const capture = (message: string, fields?: LogFields) =>
    void lines.push(`${message} ${JSON.stringify(fields)} ${inspect(fields, { depth: 6 })}`);
  return { debug: capture, info: capture, warn: capture, error: capture };
}

/**
 * The conformance suite every `IdpAdapter` runs against the embedded IdP over HTTPS: a dual-subject
 * token that verifies against the profile's JWKS and carries the human (in the token in agbac mode,
 * in a bound act assertion in hybrid mode); refusals of an agent or human not pre-approved, wrong
 * credentials and bad scopes as typed errors; 429, 5xx, dropped connections, timeouts and garbage
 * bodies; and no secret, key or token in logs, errors or serialized objects.
 *
 * @example
 * ```ts
 * describeIdpAdapter('keycloak agbac client_secret_jwt', {
 *   vendor: 'keycloak', mode: 'agbac', authMethod: 'client_secret_jwt',
 *   createAdapter: (config, options) => new KeycloakAdapter(config, options),
 *   humanClaims: { act: 'act', delegation: 'delegation', agbacVersion: 'agbac_ver' },
 *   refusals: { agentNotApproved: { status: 400, oauthError: 'access_denied' }, … },
 * });
 * ```
 */
export function describeIdpAdapter(name: string, harness: IdpAdapterHarness): void {
  const faultsUnavailable =
    harness.realIdp === undefined ? undefined : 'faults cannot be injected into a real IdP';
  const faultCase = (title: string, body: () => Promise<void>) =>
    it(title, async (context) => {
      if (faultsUnavailable !== undefined) return context.skip(faultsUnavailable);
      await body();
    });
  describe(`IdpAdapter conformance: ${name}`, () => {
    let idp: { close(): Promise<void> };
    let profile: ConformanceIdp['profile'] | IdpProfile;
    let faults: IdpProfile['faults'];
    let cast: ConformanceCast | undefined;
    let requestsSent = 0;
    const countTokenRequests = () =>
      'tokenRequestCount' in profile ? profile.tokenRequestCount() : requestsSent;
    let untrust: () => void;
    let appKeys: { privateKey: CryptoKey; publicKey: CryptoKey };
    let agent: AgentFixture;
    let rogue: AgentFixture;
    let humans: { approved: HumanFixture; refused: HumanFixture[] };

    const signActAssertion: ActAssertionSigner = async (input) =>
      new SignJWT({
        act: input.act,
        delegation: toDelegationClaim(input.delegation),
        agbac_ver: AGBAC_VERSION,
        client_id: input.agentId,
        ath: await accessTokenHash(input.accessToken),
      })
        .setProtectedHeader({ alg: 'ES256', typ: ACT_ASSERTION_TYPE })
        .setIssuer(appId)
        .setSubject(input.act.sub)
        .setAudience(input.audience)
        .setIssuedAt()
        .setExpirationTime('60s')
        .setJti(crypto.randomUUID())
        .sign(appKeys.privateKey);

    const actOf = (human: HumanFixture): Act => ({ sub: human.id, email: human.email, name: human.name });

    async function build(
      options: AdapterOptions & { agent?: AgentFixture; wrongCredentials?: boolean } = {},
    ): Promise<IdpAdapter> {
      const { agent: chosen = agent, wrongCredentials = false, ...adapterOptions } = options;
      const secret = wrongCredentials ? `${chosen.clientSecret}-wrong` : chosen.clientSecret;
      const config: DualAuthConfig = {
        vendor: harness.vendor,
        secretsBackend: 'conformance',
        tokenUrl: profile.tokenEndpoint,
        clientId: chosen.clientId,
        clientSecret: new Secret(secret),
        audience: profile.audience,
        scope: profile.scope,
        appId,
        appPrivateKeyPath: undefined,
        appPublicKeyPath: undefined,
        agentEndpoint: undefined,
        apiUrl: undefined,
        allowInsecureLoopback: false,
        settings: { ...harness.settings },
      };
      let privateKey: AdapterOptions['privateKey'];
      if (harness.authMethod === 'private_key_jwt') {
        const jwk = chosen.privateJwk;
        if (jwk === undefined) throw new TypeError(`fixture agent ${chosen.clientId} has no private key`);
        const alg = algorithmOf(jwk);
        const key = wrongCredentials
          ? await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey)
          : jwk;
        // Entra finds the registered certificate by the assertion's x5t#S256 (certificate-credentials).
        const x5tS256 = jwk['x5t#S256'];
        privateKey = {
          key,
          alg,
          ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
          ...(harness.vendor === 'entraid' && typeof x5tS256 === 'string' ? { x5tS256 } : {}),
        };
      }
      return harness.createAdapter(config, {
        mode: harness.mode,
        authMethod: harness.authMethod,
        retry: { limit: 2, baseDelayMs: 10, maxDelayMs: 2000 },
        // Counts token requests where the IdP cannot (a real one).
        fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
          requestsSent += 1;
          return fetch(input, init);
        },
        ...(harness.mode === 'hybrid' ? { signActAssertion } : {}),
        ...(privateKey === undefined ? {} : { privateKey }),
        ...adapterOptions,
      });
    }

    async function verifyToken(tokenResponse: TokenResponse, act: Act): Promise<JWTPayload> {
      const { payload } = await jwtVerify(
        tokenResponse.accessToken,
        createRemoteJWKSet(new URL(profile.jwksUri)),
        {
          issuer: profile.issuer,
        },
      );
      expect([payload.azp, payload.cid, payload.client_id]).toContain(agent.clientId);
      if (harness.mode === 'agbac') {
        const claims = harness.humanClaims;
        if (claims === undefined) throw new TypeError('agbac mode needs humanClaims');
        expect(payload[claims.act]).toMatchObject({ sub: act.sub });
        expect(payload[claims.delegation]).toMatchObject({
          method: 'explicit',
          granted_at: expect.any(Number),
        });
        expect(payload[claims.agbacVersion]).toBe(AGBAC_VERSION);
        expect(tokenResponse.hasActAssertion).toBe(false);
      } else {
        expect(payload.act, 'a hybrid token carries no act').toBeUndefined();
        const { payload: assertion } = await jwtVerify(tokenResponse.actAssertion ?? '', appKeys.publicKey, {
          issuer: appId,
          audience: profile.audience,
          typ: ACT_ASSERTION_TYPE,
        });
        expect(assertion).toMatchObject({
          act: { sub: act.sub },
          client_id: agent.clientId,
          ath: await accessTokenHash(tokenResponse.accessToken),
          agbac_ver: AGBAC_VERSION,
        });
      }
      return payload;
    }

    beforeAll(async () => {
      untrust = trustTestCa();
      if (harness.realIdp === undefined) {
        const embedded = await startEmbeddedIdp({ vendors: [harness.vendor] });
        idp = embedded;
        profile = embedded.profile(harness.vendor);
        faults = profile.faults;
      } else {
        const real = await harness.realIdp();
        idp = real;
        profile = real.profile;
        cast = real.cast;
      }
      appKeys = await generateKeyPair('ES256');
      const byId = (clientId: string) => {
        const found = profile.agents.find((candidate) => candidate.clientId === clientId);
        if (found === undefined) throw new TypeError(`fixture agent ${clientId} is missing`);
        return found;
      };
      agent = byId(cast?.agent ?? 'finance-agent');
      rogue = byId(cast?.rogueAgent ?? 'rogue-agent');
      const approved = profile.humans.find((human) =>
        cast === undefined ? human.email.startsWith('alice@') : human.id === cast.approvedHuman,
      );
      if (approved === undefined) throw new TypeError('fixture human alice is missing');
      humans = { approved, refused: profile.humans.filter((human) => human !== approved) };
    });

    afterAll(async () => {
      await idp?.close();
      untrust?.();
    });

    afterEach(() => faults?.reset());

    it('names its vendor, endpoint and mode', async () => {
      const adapter = await build();
      expect(adapter.vendor).toBe(harness.vendor);
      expect(adapter.tokenEndpoint).toBe(profile.tokenEndpoint);
      expect(adapter.mode).toBe(harness.mode);
    });

    it('issues a dual-subject token for an approved agent and human, in one request', async () => {
      const adapter = await build();
      const before = countTokenRequests();
      const act = actOf(humans.approved);
      const tokenResponse = await adapter.requestToken({ agentId: agent.clientId, act });
      expect(countTokenRequests() - before).toBe(1);
      expect(tokenResponse.tokenType).toBe('Bearer');
      expect(tokenResponse.expiresIn).toBeGreaterThan(0);
      await verifyToken(tokenResponse, act);
    });

    it('refuses a request for another agent with a TypeError', async () => {
      const adapter = await build();
      await expect(
        adapter.requestToken({ agentId: rogue.clientId, act: actOf(humans.approved) }),
      ).rejects.toThrow(TypeError);
    });

    it('refuses an agent that is not pre-approved', async () => {
      const adapter = await build({ agent: rogue });
      await expectRefused(
        () => adapter.requestToken({ agentId: rogue.clientId, act: actOf(humans.approved) }),
        harness.refusals.agentNotApproved,
      );
    });

    it('refuses humans that are not pre-approved (no role, no approval)', async (context) => {
      const refusal = harness.refusals.humanNotApproved;
      if (refusal === undefined) {
        return context.skip('the IdP never sees the human in this layout (hybrid): the API checks the human');
      }
      const adapter = await build();
      for (const human of humans.refused) {
        await expectRefused(
          () => adapter.requestToken({ agentId: agent.clientId, act: actOf(human) }),
          refusal,
        );
      }
    });

    it('refuses wrong credentials, without retrying', async () => {
      const adapter = await build({ wrongCredentials: true });
      const before = countTokenRequests();
      const error = await rejection(
        adapter.requestToken({ agentId: agent.clientId, act: actOf(humans.approved) }),
      );
      expectRefusal(error, harness.refusals.wrongCredentials);
      expect(countTokenRequests() - before).toBe(1);
    });

    it('refuses a bad scope or audience', async () => {
      const adapter = await build();
      const { scope, refusal } = harness.refusals.badScope;
      const error = await rejection(
        adapter.requestToken({ agentId: agent.clientId, act: actOf(humans.approved), scope }),
      );
      expectRefusal(error, refusal);
    });

    faultCase(`retries 429 and 5xx answers and dropped connections, then succeeds`, async () => {
      const adapter = await build();
      const act = actOf(humans.approved);
      faults.rateLimitNext(1, 0);
      await verifyToken(await adapter.requestToken({ agentId: agent.clientId, act }), act);
      faults.failNext(2, 503);
      await verifyToken(await adapter.requestToken({ agentId: agent.clientId, act }), act);
      faults.dropNext(1);
      await verifyToken(await adapter.requestToken({ agentId: agent.clientId, act }), act);
    });

    faultCase(`reports a rate limit longer than the retry cap with the wait the IdP announced`, async () => {
      const adapter = await build();
      faults.rateLimitNext(3, 30);
      const error = await rejection(
        adapter.requestToken({ agentId: agent.clientId, act: actOf(humans.approved) }),
      );
      const { retryAfterSeconds } = expectRefusal(error, { status: 429 });
      // Auth0 and Okta announce an epoch-second reset (29–30 s away, by where in the second it
      // lands), Entra Retry-After; Keycloak has no rate limiting, so its 429 announces no wait.
      if (harness.vendor === 'keycloak') expect(retryAfterSeconds).toBeUndefined();
      else expect([29, 30]).toContain(retryAfterSeconds);
    });

    faultCase(`reports persistent 5xx and dropped connections after its retries`, async () => {
      const adapter = await build({ retry: { limit: 1, baseDelayMs: 5 } });
      const act = actOf(humans.approved);
      faults.failNext(2, 500);
      expectRefusal(await rejection(adapter.requestToken({ agentId: agent.clientId, act })), { status: 500 });
      faults.dropNext(2);
      const dropped = await rejection(adapter.requestToken({ agentId: agent.clientId, act }));
      expect(dropped).toMatchObject({
        code: 'ERR_TOKEN_REQUEST',
        status: undefined,
        oauthError: 'network_error',
      });
    });

    faultCase(`times out a slow IdP`, async () => {
      const adapter = await build({ timeoutMs: 150, retry: { limit: 0 } });
      faults.delay(1000);
      const error = await rejection(
        adapter.requestToken({ agentId: agent.clientId, act: actOf(humans.approved) }),
      );
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST', status: undefined, oauthError: 'timeout' });
    });

    for (const kind of garbageKinds) {
      faultCase(`refuses a ${kind} token response as invalid_response`, async () => {
        const adapter = await build();
        faults.garbleNext(1, kind);
        const error = await rejection(
          adapter.requestToken({ agentId: agent.clientId, act: actOf(humans.approved) }),
        );
        expect(expectRefusal(error, { status: 200, oauthError: 'invalid_response' }).message).not.toContain(
          'eyJ',
        );
      });
    }

    it('never shows the secret, key, tokens, email or name in logs, errors or serialized objects', async () => {
      const lines: string[] = [];
      const logger = captureLogger(lines);
      const act = actOf(humans.approved);
      const adapter = await build({ logger });
      const tokenResponse = await adapter.requestToken({ agentId: agent.clientId, act });
      const failures = await Promise.all([
        rejection(
          (await build({ logger, wrongCredentials: true })).requestToken({ agentId: agent.clientId, act }),
        ),
        rejection((await build({ logger, agent: rogue })).requestToken({ agentId: rogue.clientId, act })),
      ]);
      if (faults !== undefined) {
        faults.garbleNext(1, 'truncated-json');
        failures.push(await rejection(adapter.requestToken({ agentId: agent.clientId, act })));
      }
      const outputs = [
        ...lines,
        JSON.stringify(adapter),
        inspect(adapter, { depth: 6 }),
        String(adapter),
        JSON.stringify(tokenResponse),
        inspect(tokenResponse),
        String(tokenResponse),
        ...failures.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 6 })]),
      ].join('\n');
      const canaries = [
        agent.clientSecret,
        tokenResponse.accessToken,
        tokenResponse.accessToken.split('.')[2] ?? '',
        tokenResponse.actAssertion,
        agent.privateJwk?.d,
        act.email,
        act.name,
      ].filter((canary): canary is string => typeof canary === 'string' && canary.length > 0);
      for (const canary of canaries) expect(outputs).not.toContain(canary);
      expect(decodeJwt(tokenResponse.accessToken).iss).toBe(profile.issuer);
    });
  });
}
