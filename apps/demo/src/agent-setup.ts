import { Auth0Adapter } from '@dual-auth/adapter-auth0';
import { EntraIDAdapter } from '@dual-auth/adapter-entraid';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { OktaAdapter } from '@dual-auth/adapter-okta';
import type { ActAssertionSigner, DualAuthConfig, IdpAdapter, TokenMode, Vendor } from '@dual-auth/core';
import { getConfig } from '@dual-auth/core/config';
import type { EmbeddedIdp } from '@dual-auth/testkit';
import { tokenUrlVariable } from './vendor-setup.ts';

/** What every component shares: the application's identity and keys, and the service URLs. */
export interface SharedSettings {
  readonly appId: string;
  readonly appPrivateKeyPath: string;
  readonly appPublicKeyPath: string;
}

/** One agent at one vendor, in one token mode (`DUAL_AUTH_MODE`). */
export interface AgentSelection {
  readonly vendor: Vendor;
  readonly agentId: string;
  readonly mode: TokenMode;
  /** `AGENT_ENDPOINT`: the out-of-session agent's URL (audience of act JWTs). */
  readonly agentEndpoint?: string | undefined;
  /** `API_URL`: the finance API this agent calls. */
  readonly apiUrl?: string | undefined;
}

/**
 * The seed's environment variables for one agent on the embedded IdP, exactly what a user would
 * export for a real tenant: `DUAL_AUTH_VENDOR`, `{VENDOR}_TOKEN_URL`, `AGENT_CLIENT_ID`,
 * `AGENT_CLIENT_SECRET`, `API_AUDIENCE`, `API_SCOPE`, `DUAL_AUTH_MODE`, `APP_*`, `AGENT_ENDPOINT`, `API_URL`.
 */
export function agentEnvironment(
  idp: EmbeddedIdp,
  shared: SharedSettings,
  selection: AgentSelection,
): Record<string, string> {
  const profile = idp.profile(selection.vendor);
  const agent = profile.agents.find((candidate) => candidate.clientId === selection.agentId);
  if (agent === undefined) throw new TypeError(`unknown agent ${selection.agentId}`);
  return {
    DUAL_AUTH_VENDOR: selection.vendor,
    DUAL_AUTH_SECRETS_BACKEND: 'env',
    [tokenUrlVariable(selection.vendor)]: profile.tokenEndpoint,
    AGENT_CLIENT_ID: agent.clientId,
    AGENT_CLIENT_SECRET: agent.clientSecret,
    API_AUDIENCE: profile.audience,
    API_SCOPE: profile.scope.join(' '),
    DUAL_AUTH_MODE: selection.mode,
    APP_ID: shared.appId,
    APP_PRIVATE_KEY_PATH: shared.appPrivateKeyPath,
    APP_PUBLIC_KEY_PATH: shared.appPublicKeyPath,
    ...(selection.agentEndpoint ? { AGENT_ENDPOINT: selection.agentEndpoint } : {}),
    ...(selection.apiUrl ? { API_URL: selection.apiUrl } : {}),
  };
}

/** Loads one agent's configuration through `getConfig()` and the env secrets backend. */
export function loadAgentConfig(
  idp: EmbeddedIdp,
  shared: SharedSettings,
  selection: AgentSelection,
): Promise<DualAuthConfig> {
  return getConfig({
    environment: agentEnvironment(idp, shared, selection),
    resolveFrom: new URL('.', import.meta.url),
  });
}

/**
 * The vendor's adapter, as the seed's `get_adapter()` picks it. `signActAssertion` signs hybrid
 * mode's act assertions; exchange mode needs none (the IdP names both subjects).
 */
export function createAdapter(config: DualAuthConfig, signActAssertion?: ActAssertionSigner): IdpAdapter {
  const options = signActAssertion === undefined ? {} : { signActAssertion };
  switch (config.vendor) {
    case 'keycloak':
      return new KeycloakAdapter(config, options);
    case 'auth0':
      return new Auth0Adapter(config, options);
    case 'okta':
      return new OktaAdapter(config, options);
    case 'entraid':
      return new EntraIDAdapter(config, options);
  }
}
