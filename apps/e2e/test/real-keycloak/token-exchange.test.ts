// Keycloak's standard token exchange (V2, RFC 8693) on a real Keycloak 26.7.3: an agent client
// exchanges a human's access token for a token that names the human in `sub` and the agent in `azp`.
// Keycloak's rules, from its source (keycloak/keycloak, services/src/main/java/org/keycloak/protocol/
// oidc/tokenexchange/): StandardTokenExchangeProvider.supports — the requesting client needs the
// `standard.token.exchange.enabled` attribute, a `subject_token` and `subject_token_type` =
// access_token; validateAudience — "Client is not within the token audience" (403 access_denied)
// unless the subject token names the agent in `aud`; AbstractTokenExchangeProvider.
// getTargetAudienceClients — an `audience` that is no client of the realm is "Audience not found";
// checkRequestedAudiences — a client the new token cannot carry is "Requested audience not available".
// Keycloak 26.7.3 has no `act` (delegation with `act` is experimental from 26.8). The last block sends
// the same requests to the embedded IdP's Keycloak profile, which must answer alike (status, error,
// description; the layout of the response and of the token's header and claims).
import { SUBJECT_TOKEN_TYPE_ACCESS_TOKEN, TOKEN_EXCHANGE_GRANT_TYPE } from '@dual-auth/core/oauth';
import {
  keycloakExchangeWebClients,
  type RealKeycloakClientAuth,
  requestKeycloakHumanToken,
} from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { createStaticHumanAuthorizer, createVerifier } from '@dual-auth/verifier';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  agentOf,
  claimLayout,
  clientAssertion,
  humanOf,
  postAssertion,
  realRealm,
  type TokenAnswer,
} from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['keycloak'], webClients: keycloakExchangeWebClients() });

interface Side {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly agents: Parameters<typeof agentOf>[0]['agents'];
}

const humanAccessToken = requestKeycloakHumanToken;

async function exchangeAt(
  side: Side,
  clientAuth: RealKeycloakClientAuth,
  agentId: string,
  subjectToken: string,
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  const assertion = await clientAssertion(clientAuth, side.issuer, agentOf(side, agentId));
  return postAssertion(side.tokenEndpoint, assertion, {
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: subjectToken,
    subject_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
    ...extra,
  });
}

function exchange(
  clientAuth: RealKeycloakClientAuth,
  agentId: string,
  subjectToken: string,
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  return exchangeAt(realRealm(clientAuth), clientAuth, agentId, subjectToken, extra);
}

describe.each(['client_secret_jwt', 'private_key_jwt'] as const)(
  'real Keycloak token exchange, %s',
  (clientAuth) => {
    it('exchanges alice’s token for one naming alice in sub and the agent in azp, for the API', async () => {
      const realm = realRealm(clientAuth);
      const alice = humanOf(realm, 'alice');
      const subjectToken = await humanAccessToken(realm.tokenEndpoint, 'alice');
      const answer = await exchange(clientAuth, 'finance-agent', subjectToken);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({
        token_type: 'Bearer',
        issued_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
        expires_in: expect.any(Number),
      });
      const claims = decodeJwt(String(answer.body.access_token));
      expect(claims).toMatchObject({ iss: realm.issuer, sub: alice.id, azp: 'finance-agent' });
      expect(claims.aud).toContain(realm.audience);
      // Keycloak 26.7.3's standard token exchange names no actor: the agent is only azp.
      expect(claims.act).toBeUndefined();
    });

    // Keycloak 26.2+ writes how a token was issued before the `jti`'s id (DefaultTokenContextEncoderProvider:
    // session type, token type, grant type, two letters each; `te` = TokenExchangeGrantTypeFactory):
    // the only mark that tells the exchanged token from the human's own token of the same layout.
    it('marks the exchanged token te in jti, which the rfc8693 verifier reads; the human’s own token is denied', async () => {
      const realm = realRealm(clientAuth);
      const alice = humanOf(realm, 'alice');
      const subjectToken = await humanAccessToken(realm.tokenEndpoint, 'alice');
      const answer = await exchange(clientAuth, 'finance-agent', subjectToken);
      const exchanged = String(answer.body.access_token);
      expect(String(decodeJwt(exchanged).jti)).toMatch(/^[a-z]{4}te:./);
      expect(String(decodeJwt(subjectToken).jti)).not.toMatch(/^[a-z]{4}te:/);
      const verifier = createVerifier({
        issuer: realm.issuer,
        // The web application's tokens name the exchange agents in `aud`: accepting that audience
        // too, alice's own token differs from the exchanged one only by the exchange mark.
        audience: [realm.audience, 'finance-agent'],
        jwksUri: realm.jwksUri,
        vendor: 'keycloak',
        layout: 'rfc8693',
        humanAuthorizer: createStaticHumanAuthorizer({ [alice.id]: { roles: alice.roles } }),
      });
      const allowed = await verifier.verify(
        { authorization: `Bearer ${exchanged}` },
        { humanRoles: [realm.humanRole] },
      );
      expect(allowed).toMatchObject({ allow: true, human: { id: alice.id }, agent: { id: 'finance-agent' } });
      const own = await verifier.verify(
        { authorization: `Bearer ${subjectToken}` },
        { humanRoles: [realm.humanRole] },
      );
      expect(own).toMatchObject({
        allow: false,
        code: 'token_invalid',
        reason: 'access token has no act claim (no acting agent)',
      });
    });

    it('refuses an agent whose client does not have standard token exchange enabled', async () => {
      const realm = realRealm(clientAuth);
      const subjectToken = await humanAccessToken(realm.tokenEndpoint, 'alice');
      const answer = await exchange(clientAuth, 'rogue-agent', subjectToken);
      expect({ status: answer.status, ...answer.body }).toEqual({
        status: 400,
        error: 'invalid_request',
        error_description: 'Standard token exchange is not enabled for the requested client',
      });
    });

    it('refuses a subject token whose audience does not name the agent', async () => {
      const realm = realRealm(clientAuth);
      const subjectToken = await humanAccessToken(realm.tokenEndpoint, 'alice', 1);
      const answer = await exchange(clientAuth, 'finance-agent', subjectToken);
      expect({ status: answer.status, ...answer.body }).toEqual({
        status: 403,
        error: 'access_denied',
        error_description: 'Client is not within the token audience',
      });
    });

    it.each([
      [
        'no client of the realm',
        'https://elsewhere.example/api',
        400,
        'invalid_client',
        'Audience not found',
      ],
      [
        'a client the token cannot carry',
        'dual-auth-web-alone',
        400,
        'invalid_request',
        'Requested audience not available: dual-auth-web-alone',
      ],
    ])('refuses an audience that is %s', async (_name, audience, status, error, description) => {
      const realm = realRealm(clientAuth);
      const subjectToken = await humanAccessToken(realm.tokenEndpoint, 'alice');
      const answer = await exchange(clientAuth, 'finance-agent', subjectToken, { audience });
      expect({ status: answer.status, ...answer.body }).toEqual({
        status,
        error,
        error_description: description,
      });
    });

    it('refuses a subject token that is not an access token of the realm', async () => {
      const answer = await exchange(clientAuth, 'finance-agent', 'not-a-token');
      expect({ status: answer.status, ...answer.body }).toEqual({
        status: 400,
        error: 'invalid_request',
        error_description: 'Invalid token',
      });
    });
  },
);

function comparable(answer: TokenAnswer): unknown {
  const { access_token: token, ...rest } = answer.body;
  if (answer.status !== 200 || typeof token !== 'string')
    return { status: answer.status, error: rest.error, error_description: rest.error_description };
  const claims = decodeJwt(token);
  return {
    status: answer.status,
    body: claimLayout(rest),
    header: claimLayout(decodeProtectedHeader(token)),
    claims: claimLayout(claims),
    // How Keycloak says the token was issued: the letters before the `jti`'s `:`.
    tokenContext: String(claims.jti).split(':')[0],
  };
}

type ExchangeCase = [name: string, agentId: string, webClient: number, extra: Record<string, string>];

const cases: ExchangeCase[] = [
  ['an exchange-enabled agent named in the subject token’s aud', 'finance-agent', 0, {}],
  ['an agent without standard token exchange', 'rogue-agent', 0, {}],
  ['a subject token whose aud does not name the agent', 'finance-agent', 1, {}],
  ['an audience that is no client', 'finance-agent', 0, { audience: 'https://elsewhere.example/api' }],
  ['an audience the token cannot carry', 'finance-agent', 0, { audience: 'dual-auth-web-alone' }],
  [
    'a refresh token requested',
    'finance-agent',
    0,
    { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
  ],
  ['an unknown scope', 'finance-agent', 0, { scope: 'payroll.admin' }],
  ['requested_subject (impersonation)', 'finance-agent', 0, { requested_subject: 'bob' }],
  [
    'an ID token as subject_token_type',
    'finance-agent',
    0,
    { subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
  ],
];

describe.each(['client_secret_jwt', 'private_key_jwt'] as const)(
  'real Keycloak and the embedded Keycloak profile exchange alike, %s',
  (clientAuth) => {
    it.each(cases)('answer %s alike', async (_name, agentId, webClient, extra) => {
      const real = realRealm(clientAuth);
      const embedded = idp.profile('keycloak');
      const answers: TokenAnswer[] = [];
      for (const side of [real, embedded]) {
        const subjectToken = await humanAccessToken(side.tokenEndpoint, 'alice', webClient);
        answers.push(await exchangeAt(side, clientAuth, agentId, subjectToken, extra));
      }
      const [realAnswer, embeddedAnswer] = answers as [TokenAnswer, TokenAnswer];
      const expected = comparable(realAnswer);
      expect(comparable(embeddedAnswer), `real Keycloak: ${JSON.stringify(expected)}`).toEqual(expected);
    });

    it('answer a direct grant with the layout of the real one', async () => {
      const real = realRealm(clientAuth);
      const [realToken, embeddedToken] = [
        await humanAccessToken(real.tokenEndpoint, 'alice'),
        await humanAccessToken(idp.profile('keycloak').tokenEndpoint, 'alice'),
      ];
      const shape = (token: string) => ({
        claims: claimLayout(decodeJwt(token)),
        tokenContext: String(decodeJwt(token).jti).split(':')[0],
      });
      const expected = shape(realToken);
      expect(shape(embeddedToken), `real Keycloak: ${JSON.stringify(expected)}`).toEqual(expected);
    });
  },
);
