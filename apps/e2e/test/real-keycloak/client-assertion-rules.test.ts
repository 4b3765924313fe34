// Keycloak's client-assertion rules, pinned on the real Keycloak 26.7.3. Source:
// keycloak/keycloak services/src/main/java/org/keycloak/authentication/authenticators/client/
// AbstractBaseJWTValidator.java (validateTokenActive, validateTokenReuse) with the clock skew of
// 15 s and the maximum age `token.endpoint.auth.signing.max.exp` (default 60 s) of JWTClientValidator.
import { trustTestCa } from '@dual-auth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actClaims, agentOf, clientAssertion, humanOf, postAssertion, realRealm } from './harness.ts';

let untrust: () => void;
beforeAll(() => {
  untrust = trustTestCa();
});
afterAll(() => untrust?.());

describe.each(['client_secret_jwt', 'private_key_jwt'] as const)(
  'real Keycloak, %s assertions',
  (clientAuth) => {
    const send = async (overrides: Parameters<typeof clientAssertion>[3]) => {
      const realm = realRealm(clientAuth);
      const agent = agentOf(realm, 'finance-agent');
      const claims = actClaims(humanOf(realm, 'alice'));
      return postAssertion(
        realm.tokenEndpoint,
        await clientAssertion(clientAuth, realm.issuer, agent, { ...overrides, claims }),
      );
    };
    const refusal = (description: string) => ({
      status: 400,
      body: { error: 'invalid_client', error_description: description },
    });

    it('are usable for 60 s after iat, whatever their exp', async () => {
      expect(await send({ iatOffset: -61, lifetime: 600 })).toEqual(
        refusal('Token was issued too far in the past to be used now'),
      );
      expect((await send({ iatOffset: -50, lifetime: 600 })).status).toBe(200);
    });

    it('refuse an iat more than the 15 s skew in the future', async () => {
      expect(await send({ iatOffset: 30 })).toEqual(refusal('Token was issued in the future'));
      expect((await send({ iatOffset: 10 })).status).toBe(200);
    });

    it('refuse an expired assertion, without skew once iat is given', async () => {
      expect(await send({ iatOffset: -30, lifetime: 25 })).toEqual(refusal('Token is not active'));
    });

    it('are single-use: a replayed jti is refused', async () => {
      const realm = realRealm(clientAuth);
      const assertion = await clientAssertion(clientAuth, realm.issuer, agentOf(realm, 'finance-agent'));
      expect((await postAssertion(realm.tokenEndpoint, assertion)).status).toBe(200);
      expect(await postAssertion(realm.tokenEndpoint, assertion)).toEqual(refusal('Token reuse detected'));
    });
  },
);
