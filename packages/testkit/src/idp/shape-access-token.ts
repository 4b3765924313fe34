import type { Vendor } from '@dual-auth/core';
import type { AgentFixture, ClientAuthMethod } from './types.ts';
import { vendorServiceAccountId } from './vendor-ids.ts';
import { auth0AccessTokenClaims, auth0ClientGrantScopes } from './vendors/auth0.ts';
import { entraAccessTokenPayload } from './vendors/entraid.ts';
import { oktaAccessTokenPayload } from './vendors/okta.ts';

/** What the token customizer knows about the token being issued. */
export interface AccessTokenShapeInput {
  readonly vendor: Vendor;
  readonly agent: AgentFixture;
  /** The scopes the API offers (Auth0 grants them, with the agent's roles, to every agent). */
  readonly apiScopes: readonly string[];
  readonly audience: string;
  readonly tenantId: string;
  readonly clientAddress: string;
  /** How the client authenticated (Entra's `azpacr`). */
  readonly authMethod?: ClientAuthMethod | undefined;
}

type Claims = Record<string, unknown>;

function scopeList(payload: Claims): string[] {
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
}

/**
 * Reshapes oidc-provider's JWT access token into the vendor's claim layout: who the
 * agent is (`azp`, `sub`, `cid`, `oid`), where its roles go, `typ`, `ver`, `jti` forms.
 */
export function shapeAccessToken(
  input: AccessTokenShapeInput,
  header: Claims | undefined,
  payload: Claims,
): { header: Claims; payload: Claims } {
  const { agent, vendor } = input;
  const { iss, iat, exp, scope: _scope, client_id: _clientId, jti, sub: _sub, aud: _aud, ...extra } = payload;
  const scopes = scopeList(payload);
  switch (vendor) {
    case 'keycloak':
      return {
        header: { ...header, typ: 'JWT' },
        payload: {
          exp,
          iat,
          jti,
          iss,
          // The audience mapper's API, and `account`: Keycloak adds the client whose roles the
          // service account holds (its default roles include account's manage-account, view-profile).
          aud: [input.audience, 'account'],
          sub: vendorServiceAccountId(vendor, agent.clientId),
          typ: 'Bearer',
          azp: agent.clientId,
          acr: '1',
          realm_access: { roles: [...agent.roles, 'default-roles-dual-auth'] },
          resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
          scope: ['profile', 'email', ...scopes].join(' '),
          clientHost: input.clientAddress,
          email_verified: false,
          preferred_username: `service-account-${agent.clientId}`,
          clientAddress: input.clientAddress,
          client_id: agent.clientId,
          ...extra,
        },
      };
    case 'auth0':
      return {
        header: { ...header, typ: 'JWT' },
        payload: auth0AccessTokenClaims({
          issuer: iss,
          clientId: agent.clientId,
          audience: input.audience,
          grantScopes: auth0ClientGrantScopes(input.apiScopes, agent),
          iat,
          exp,
          extra,
        }),
      };
    case 'okta':
      return {
        // Okta's access tokens carry no typ: undefined removes oidc-provider's default at+jwt.
        header: { ...header, typ: undefined },
        payload: oktaAccessTokenPayload({
          payload,
          clientId: agent.clientId,
          audience: input.audience,
          scopes,
          customClaims: extra,
        }),
      };
    case 'entraid':
      return {
        header: { ...header, typ: 'JWT' },
        payload: entraAccessTokenPayload(
          {
            clientId: agent.clientId,
            roles: agent.roles,
            objectId: vendorServiceAccountId(vendor, agent.clientId),
            audience: input.audience,
            tenantId: input.tenantId,
            authMethod: input.authMethod,
          },
          payload,
        ),
      };
  }
}
