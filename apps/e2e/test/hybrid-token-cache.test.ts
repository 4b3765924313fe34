// Hybrid mode through the agent's token cache, over time: the IdP's token lives an hour (Okta 3600 s,
// Entra ID 3599 s) but the act assertion attached to it lives at most 300 s. A cached token must
// never be served with an act assertion the API will refuse.
import { generateKeyPairSync } from 'node:crypto';
import { createTokenCache, InSessionTokenRequest } from '@dual-auth/client';
import { HybridSender } from '@dual-auth/sender';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { createVerifier } from '@dual-auth/verifier';
import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  agentNamed,
  configFor,
  humanAuthorizerFor,
  humanNamed,
  routeRequirements,
  vendorCases,
} from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['okta', 'entraid'] });

describe.each(['okta', 'entraid'] as const)('%s hybrid, cached token', (vendor) => {
  // The pair must expire with the act assertion (300 s here), not with the hour-long token.
  it('is still accepted by the API ten minutes later (the act assertion must not outlive itself)', async () => {
    let now = Date.now();
    const clock = () => now;
    const profile = idp.profile(vendor);
    const sender = await HybridSender.create({
      privateKey: generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      appId: APP_ID,
      clock,
    });
    const adapter = vendorCases[vendor].createAdapter(
      configFor(profile, agentNamed(profile, 'finance-agent')),
      {
        signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }),
        clock,
      },
    );
    const tokenRequest = new InSessionTokenRequest({ adapter, cache: createTokenCache({ clock }) });
    const verifier = createVerifier({
      issuer: profile.issuer,
      audience: profile.audience,
      jwksUri: profile.jwksUri,
      vendor,
      layout: 'hybrid',
      hybrid: { keys: (await sender.publicJwks()) as unknown as { keys: object[] }, issuer: APP_ID },
      humanAuthorizer: humanAuthorizerFor(profile),
      clock,
    });
    const alice = humanNamed(profile, 'alice');
    const request = { agentId: 'finance-agent', act: { sub: alice.id }, scope: profile.scope };
    const decide = async () => {
      const tokenResponse = await tokenRequest.requestToken(request);
      const decision = await verifier.verify(
        { authorization: `Bearer ${tokenResponse.accessToken}`, actAssertion: tokenResponse.actAssertion },
        routeRequirements(vendor),
      );
      return decision.allow ? 'allow' : decision.code;
    };

    expect(await decide()).toBe('allow');
    now += 10 * 60 * 1000; // the access token is good for ~50 more minutes
    expect(await decide()).toBe('allow');
  });
});
