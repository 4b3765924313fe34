/** The text of `dual-auth verify --help`. */
export const verifyHelp = `Usage: dual-auth verify <token | -> --vendor V --issuer URL --audience AUD [options]
       dual-auth verify <token | -> --from-config [--dotenv FILE] [options]

Runs the resource server's verifier (@dual-auth/verifier) on a token, exactly as an API configured
with these options would, and explains for each subject (agent, human, delegation) why it is
allowed or denied.

Required (unless --from-config):
  --vendor V               keycloak, auth0, okta or entraid (where the agent id, roles and scopes are)
  --issuer URL             accepted iss, exact string (Auth0 keeps its trailing slash)
  --audience AUD           accepted aud (the API identifier)
From the configuration:
  --from-config            take the settings from getConfig(), exactly as "dual-auth doctor" loads
                           them: vendor (DUAL_AUTH_VENDOR), issuer and JWKS (the discovery document
                           of the token URL), audience (API_AUDIENCE), layout (DUAL_AUTH_MODE or the
                           vendor default), the Auth0 claim (AUTH0_ACT_CLAIM), APP_ID and the app
                           key (APP_PUBLIC_KEY_PATH, else the public half of APP_PRIVATE_KEY_PATH);
                           any option given explicitly overrides its setting
  --dotenv FILE          read settings from a .env file (over the environment)
  --secrets-backend B      override DUAL_AUTH_SECRETS_BACKEND (--vendor overrides DUAL_AUTH_VENDOR)
Keys and layout:
  --jwks-uri URL           the IdP's JWKS (default: jwks_uri from the issuer's discovery document)
  --layout L               agbac | hybrid | rfc8693 (default: agbac for keycloak and auth0,
                           hybrid for okta and entraid; with --from-config DUAL_AUTH_MODE=exchange
                           is rfc8693); never guessed from the token. rfc8693 reads the human in sub
                           and the agent in act, or the vendor's on-behalf-of form without act
                           (Keycloak exchanged tokens by their jti mark, Okta uid/cid, Entra oid/azp)
  --max-chain-depth N      rfc8693: most actors in a nested act chain, the agent included (default 3)
  --on-behalf-of-agent ID  rfc8693: a client that may be the agent of a token without act (repeatable;
                           with --from-config, default the configured agent, AGENT_CLIENT_ID). Okta's
                           and Entra ID's tokens without act are read only from listed agents (a web
                           application's user token has the same form); Keycloak's jti-marked ones
                           from any client unless a list is given
  --human-claim C          claim holding the human in the agbac layout (default act; auth0:
                           https://dual-auth.dev/act); delegation and agbac_ver are read from the
                           same namespace (https://dual-auth.dev/delegation, …)
Hybrid layout (the human in an act assertion):
  --act-assertion JWT      the X-Act-Assertion value ("@file" reads it from a file)
  --app-id ID              accepted act assertion issuer (the application's APP_ID)
  --app-public-key FILE    the application's public key (PEM or JWKS file), or
  --app-jwks-uri URL       the application's JWKS
Policy (roles and scopes repeatable; all must hold):
  --agent-role R  --agent-scope S
The human is authorized only by a check; with none of these it is "present, not checked" and the
decision is DENY human_unchecked, as at an API:
  --humans FILE            JSON map of human IAM id -> {"roles": [...], "agents": [...] | "*"}
                           (the API's human authorizer: an unknown human is refused)
  --human-role R           roles the human must hold (repeatable), from --humans or --human-roles-claim
  --human-roles-claim C    claim in the human's object listing the human's roles
  --human-authorized-by-idp  trust the IdP's check of the human (agbac and rfc8693 only: Keycloak
                           with the act mapper, the Auth0 Action); refused for hybrid
  --no-require-delegation  accept an agbac/hybrid token without a delegation claim
Other:
  --allow-insecure-loopback  accept http:// JWKS URLs on 127.0.0.1/localhost (local testing)
  --ca-file FILE           trust this PEM CA too (or set NODE_EXTRA_CA_CERTS)
                           (NODE_EXTRA_CA_CERTS only, before Node.js 24.5: exit 2)
  --json                   the decision as JSON
  -h, --help               this help

Exit codes: 0 ALLOW; 1 DENY (agent_denied, human_denied, human_unchecked, delegation_invalid); 2 bad usage;
3 the token, a file or (--from-config) the configuration cannot be read; 4 token_invalid;
5 idp_unavailable or discovery failed.`;
