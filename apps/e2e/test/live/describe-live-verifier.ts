import { generateKeyPairSync } from 'node:crypto';
import {
  type IdpAdapter,
  isDualAuthError,
  type PrivateKeyAlgorithm,
  Secret,
  type TokenResponse,
} from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { type AgentFixture, type LiveTenant, testConfig, trustTestCa } from '@dual-auth/testkit';
import {
  type LiveAdapterFactory,
  liveAdapterHarness,
  liveConformanceIdp,
} from '@dual-auth/testkit/conformance';
import {
  createStaticHumanAuthorizer,
  createVerifier,
  type Verifier,
  type VerifierOptions,
  type VerifyRequirements,
} from '@dual-auth/verifier';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appId = 'https://app.dual-auth.test';

function algorithmOf(agent: AgentFixture): PrivateKeyAlgorithm {
  const jwk = agent.privateJwk;
  if (typeof jwk?.alg === 'string' && ['RS256', 'PS256', 'ES256', 'EdDSA'].includes(jwk.alg))
    return jwk.alg as PrivateKeyAlgorithm;
  return jwk?.kty === 'EC' ? 'ES256' : jwk?.kty === 'OKP' ? 'EdDSA' : 'RS256';
}

/**
 * The verifier on a live tenant's real tokens and JWKS: the API's `createVerifier`, configured as the
 * vendor's guide says, allows a dual-subject token for the approved agent and human, and denies what
 * the tenant issues for a refused human (Keycloak's marked tokens), a human the API's directory does
 * not know (hybrid), a token for another audience, a tampered signature and an act assertion bound
 * to another token.
 */
export function describeLiveVerifier(
  name: string,
  tenant: LiveTenant,
  createAdapter: LiveAdapterFactory,
): void {
  describe(`live verifier checks: ${name}`, () => {
    let idp: Awaited<ReturnType<typeof liveConformanceIdp>>;
    let untrust: () => void;
    let sender: HybridSender;
    const harness = liveAdapterHarness(tenant, createAdapter);
    const agentId = tenant.agent.clientId;
    const requirements: VerifyRequirements =
      tenant.agentRole === undefined ? {} : { agentRoles: [tenant.agentRole] };

    function adapterFor(clientId: string): IdpAdapter {
      const agent = idp.profile.agents.find((candidate) => candidate.clientId === clientId);
      if (agent === undefined) throw new TypeError(`live agent ${clientId} is missing`);
      const config = testConfig({
        vendor: tenant.vendor,
        tokenUrl: idp.profile.tokenEndpoint,
        clientId,
        clientSecret: new Secret(agent.clientSecret),
        audience: tenant.audience,
        scope: tenant.scope,
        appId,
        settings: { ...harness.settings },
      });
      const jwk = agent.privateJwk;
      return harness.createAdapter(config, {
        mode: tenant.mode,
        authMethod: tenant.authMethod,
        retry: { limit: 1 },
        ...(tenant.mode === 'hybrid'
          ? { signActAssertion: sender.createActAssertionSigner({ audience: tenant.audience }) }
          : {}),
        ...(jwk === undefined
          ? {}
          : {
              privateKey: {
                key: jwk,
                alg: algorithmOf(agent),
                ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
              },
            }),
      });
    }

    async function verifierFor(overrides: Partial<VerifierOptions> = {}): Promise<Verifier> {
      const base = {
        issuer: tenant.issuer,
        audience: tenant.audience,
        jwksUri: idp.profile.jwksUri,
        vendor: tenant.vendor,
        cache: false,
      } as const;
      const options: VerifierOptions =
        tenant.mode === 'agbac'
          ? {
              ...base,
              layout: 'agbac',
              humanClaim: tenant.actClaim,
              humanAuthorizedByIdp: true,
              ...overrides,
            }
          : {
              ...base,
              layout: 'hybrid',
              hybrid: { keys: await sender.publicJwks(), issuer: appId },
              humanAuthorizer: createStaticHumanAuthorizer({
                [tenant.approvedHuman]: { roles: [], agents: [agentId] },
              }),
              ...overrides,
            };
      return createVerifier(options);
    }

    const headersOf = (tokenResponse: TokenResponse) => ({
      authorization: `Bearer ${tokenResponse.accessToken}`,
      ...(tokenResponse.actAssertion === undefined ? {} : { actAssertion: tokenResponse.actAssertion }),
    });
    const tokenFor = (human: string) => adapterFor(agentId).requestToken({ agentId, act: { sub: human } });

    beforeAll(async () => {
      untrust = trustTestCa();
      idp = await liveConformanceIdp(tenant);
      const appKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
      sender = await HybridSender.create({ privateKey: appKey.toString(), appId });
    });

    afterAll(async () => {
      await idp?.close();
      untrust?.();
    });

    it('allows the approved agent and human, verified with the tenant JWKS', async () => {
      const tokenResponse = await tokenFor(tenant.approvedHuman);
      const decision = await (await verifierFor()).verify(headersOf(tokenResponse), requirements);
      expect(decision, decision.allow ? '' : decision.reason).toMatchObject({
        allow: true,
        agent: { id: agentId },
        human: { id: tenant.approvedHuman },
      });
    });

    it('denies the same token to a verifier of another audience, and a tampered signature', async () => {
      const tokenResponse = await tokenFor(tenant.approvedHuman);
      const elsewhere = await (
        await verifierFor({ audience: 'https://another-api.dual-auth.invalid' })
      ).verify(headersOf(tokenResponse));
      expect(elsewhere).toMatchObject({ allow: false, code: 'token_invalid' });
      const [header, payload, signature = ''] = tokenResponse.accessToken.split('.');
      const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      const tampered = await (await verifierFor()).verify({
        ...headersOf(tokenResponse),
        authorization: `Bearer ${header}.${payload}.${flipped}`,
      });
      expect(tampered).toMatchObject({ allow: false, code: 'token_invalid' });
    });

    if (tenant.mode === 'agbac') {
      it('denies whatever the tenant issues for a refused human (or the tenant refuses it)', async (context) => {
        if (tenant.refusedHumans.length === 0) return context.skip('no refused human configured');
        for (const human of tenant.refusedHumans) {
          const outcome = await tokenFor(human).then(
            (tokenResponse) => tokenResponse,
            (error: unknown) => error,
          );
          if (isDualAuthError(outcome, 'ERR_TOKEN_REQUEST')) continue; // refused before any token exists
          const tokenResponse = outcome as TokenResponse;
          const decision = await (await verifierFor()).verify(headersOf(tokenResponse), requirements);
          expect(decision.allow, `a token for refused human ${human} was allowed`).toBe(false);
        }
      });
    } else {
      it('denies a human the API does not know, and an act assertion bound to another token', async () => {
        const stranger = await tokenFor(`${tenant.approvedHuman}-not-in-the-directory`);
        const unknown = await (await verifierFor()).verify(headersOf(stranger), requirements);
        expect(unknown).toMatchObject({ allow: false, code: 'human_denied' });
        const [first, second] = [await tokenFor(tenant.approvedHuman), await tokenFor(tenant.approvedHuman)];
        expect(decodeJwt(first.accessToken).jti ?? first.accessToken).not.toBe(
          decodeJwt(second.accessToken).jti ?? second.accessToken,
        );
        const swapped = await (await verifierFor()).verify({
          authorization: `Bearer ${first.accessToken}`,
          actAssertion: second.actAssertion,
        });
        expect(swapped).toMatchObject({ allow: false, code: 'token_invalid' });
      });
    }
  });
}
