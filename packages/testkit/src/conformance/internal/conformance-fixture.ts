import {
  ACT_ASSERTION_TYPE,
  type Act,
  type ActAssertionSigner,
  type AdapterOptions,
  AGBAC_VERSION,
  accessTokenHash,
  type DualAuthConfig,
  type IdpAdapter,
  type PrivateKeyAlgorithm,
  Secret,
  type TokenResponse,
  toDelegationClaim,
} from '@dual-auth/core';
import {
  type CryptoKey,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { expect } from 'vitest';
import { startEmbeddedIdp } from '../../idp/start-embedded-idp.ts';
import type { AgentFixture, HumanFixture, IdpProfile } from '../../idp/types.ts';
import { trustTestCa } from '../../tls/test-tls.ts';
import type { ConformanceCast, ConformanceIdp, IdpAdapterHarness } from '../idp-adapter-harness.ts';

/** The act assertion issuer of hybrid mode: the application the suite plays. */
export const appId = 'https://app.dual-auth.test';

function algorithmOf(jwk: JWK): PrivateKeyAlgorithm {
  const supported: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
  if (jwk.alg !== undefined && supported.includes(jwk.alg)) return jwk.alg as PrivateKeyAlgorithm;
  return jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'OKP' ? 'EdDSA' : 'RS256';
}

/** Options of {@link ConformanceFixture.build}: the adapter's own, the agent, and whether its credentials are wrong. */
export type BuildOptions = AdapterOptions & { agent?: AgentFixture; wrongCredentials?: boolean };

/**
 * The IdP of one conformance run (the embedded one, or the harness's real one) with the parts its
 * cases play: the approved and rogue agents, the approved and refused humans, and the application
 * key that signs act assertions in hybrid mode. `start` and `close` run in `beforeAll`/`afterAll`.
 */
export class ConformanceFixture {
  profile!: ConformanceIdp['profile'] | IdpProfile;
  /** The embedded IdP's fault switches; `undefined` against a real IdP. */
  faults!: IdpProfile['faults'];
  agent!: AgentFixture;
  rogue!: AgentFixture;
  humans!: { approved: HumanFixture; refused: HumanFixture[] };
  #idp: { close(): Promise<void> } | undefined;
  #cast: ConformanceCast | undefined;
  #requestsSent = 0;
  #untrust: (() => void) | undefined;
  #appKeys!: { privateKey: CryptoKey; publicKey: CryptoKey };

  readonly harness: IdpAdapterHarness;

  constructor(harness: IdpAdapterHarness) {
    this.harness = harness;
  }

  async start(): Promise<void> {
    const { harness } = this;
    this.#untrust = trustTestCa();
    if (harness.realIdp === undefined) {
      const embedded = await startEmbeddedIdp({ vendors: [harness.vendor] });
      this.#idp = embedded;
      this.profile = embedded.profile(harness.vendor);
      this.faults = this.profile.faults;
    } else {
      const real = await harness.realIdp();
      this.#idp = real;
      this.profile = real.profile;
      this.#cast = real.cast;
    }
    this.#appKeys = await generateKeyPair('ES256');
    const { profile } = this;
    const cast = this.#cast;
    const byId = (clientId: string) => {
      const found = profile.agents.find((candidate) => candidate.clientId === clientId);
      if (found === undefined) throw new TypeError(`fixture agent ${clientId} is missing`);
      return found;
    };
    this.agent = byId(cast?.agent ?? 'finance-agent');
    this.rogue = byId(cast?.rogueAgent ?? 'rogue-agent');
    const approved = profile.humans.find((human) =>
      cast === undefined ? human.email.startsWith('alice@') : human.id === cast.approvedHuman,
    );
    if (approved === undefined) throw new TypeError('fixture human alice is missing');
    this.humans = { approved, refused: profile.humans.filter((human) => human !== approved) };
  }

  async close(): Promise<void> {
    await this.#idp?.close();
    this.#untrust?.();
  }

  /** Token requests so far: the embedded IdP's count, else those the adapters' `fetch` sent. */
  countTokenRequests(): number {
    const { profile } = this;
    return 'tokenRequestCount' in profile ? profile.tokenRequestCount() : this.#requestsSent;
  }

  actOf(human: HumanFixture): Act {
    return { sub: human.id, email: human.email, name: human.name };
  }

  readonly signActAssertion: ActAssertionSigner = async (input) =>
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
      .sign(this.#appKeys.privateKey);

  /** The adapter under test for the profile's configuration, an agent (default the approved one) and options. */
  async build(options: BuildOptions = {}): Promise<IdpAdapter> {
    const { harness, profile } = this;
    const { agent: chosen = this.agent, wrongCredentials = false, ...adapterOptions } = options;
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
        this.#requestsSent += 1;
        return fetch(input, init);
      },
      ...(harness.mode === 'hybrid' ? { signActAssertion: this.signActAssertion } : {}),
      ...(privateKey === undefined ? {} : { privateKey }),
      ...adapterOptions,
    });
  }

  /** Verifies the token against the profile's JWKS and checks that it carries the human as the mode says. */
  async verifyToken(tokenResponse: TokenResponse, act: Act): Promise<JWTPayload> {
    const { harness, profile, agent } = this;
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
      const { payload: assertion } = await jwtVerify(
        tokenResponse.actAssertion ?? '',
        this.#appKeys.publicKey,
        {
          issuer: appId,
          audience: profile.audience,
          typ: ACT_ASSERTION_TYPE,
        },
      );
      expect(assertion).toMatchObject({
        act: { sub: act.sub },
        client_id: agent.clientId,
        ath: await accessTokenHash(tokenResponse.accessToken),
        agbac_ver: AGBAC_VERSION,
      });
    }
    return payload;
  }
}
