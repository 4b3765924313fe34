import type { TokenRequestError, Vendor } from '@dual-auth/core';
import type { DoctorFault } from './doctor-check.ts';

/** What doctor concluded from a refused token request. */
export interface RefusalDiagnosis {
  readonly fault: DoctorFault;
  readonly detail: string;
  readonly fix: string;
}

const agentFix: Record<Vendor, string> = {
  keycloak:
    "give the agent's service account the agent realm role (Clients > <agent> > Service account roles), and check the client has Service accounts enabled",
  auth0:
    "mark the M2M application as an agent for dual-auth's credentials-exchange Action (Applications > <agent> > Settings > Advanced > Application Metadata: dual_auth_agent = true; Terraform auth0_client.agent client_metadata), and authorize it for the API (Applications > APIs > Machine to Machine Applications)",
  okta: 'assign an access policy of the authorization server to the agent app, with a rule allowing the Client Credentials grant and every requested scope (Security > API > Authorization Servers > <server> > Access Policies; Terraform okta_auth_server_policy and _rule), and check API_SCOPE',
  entraid:
    "assign the API's app role to the agent's service principal (API permissions > Application permission) and grant admin consent",
};

const audienceFix: Record<Vendor, string> = {
  keycloak:
    'set API_AUDIENCE to the API identifier, and add an Audience mapper on the agent client that puts it in aud',
  auth0: "set API_AUDIENCE to the API's Identifier (Applications > APIs), exactly, including scheme and path",
  okta: "set API_AUDIENCE to the authorization server's Audience (Security > API > <server> > Settings)",
  entraid:
    "set API_SCOPE to {Application ID URI}/.default of the API app (Expose an API), and API_AUDIENCE to that app's Application (client) ID: Entra v2 tokens carry the client id as aud, never the URI",
};

function mentions(text: string, ...patterns: RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(text));
}

/** Names the fault behind a refused token request (the IdP's answer, as the adapter typed it). */
export function diagnoseTokenRefusal(
  error: TokenRequestError,
  vendor: Vendor,
  secretSource: string,
): RefusalDiagnosis {
  const { status, oauthError = '', vendorCode = '' } = error;
  const message = error.message;
  const detail = message;
  if (status === undefined) {
    return {
      fault: 'idp_unavailable',
      detail,
      fix: 'the token endpoint did not answer: check the token URL, DNS, proxies and that the IdP trusts no other CA (NODE_EXTRA_CA_CERTS)',
    };
  }
  if (status === 429 || status >= 500) {
    return {
      fault: 'idp_unavailable',
      detail,
      fix: 'the IdP is failing or rate limiting: retry later, check its status page',
    };
  }
  if (
    mentions(
      message,
      /\bclient\b[^.]*\b(lacks the role|is not an approved agent)/i,
      /not assigned to a role/i,
    ) ||
    vendorCode === 'AADSTS501051' ||
    // Okta's no_matching_policy: 401 access_denied, yet the credentials were right.
    vendorCode === 'no_matching_policy' ||
    (vendor === 'okta' && /Policy evaluation failed/i.test(message)) ||
    (oauthError === 'unauthorized_client' && /approved agent/i.test(message))
  ) {
    return { fault: 'agent_not_approved', detail, fix: `the agent is not pre-approved: ${agentFix[vendor]}` };
  }
  // The Auth0 adapter names the dual-auth Action's denials (400 invalid_request) in vendorCode.
  if (vendorCode === 'agent_not_approved') {
    return { fault: 'agent_not_approved', detail, fix: `the agent is not pre-approved: ${agentFix[vendor]}` };
  }
  if (
    vendorCode === 'human_not_approved' ||
    mentions(message, /\buser\b[^.]*\b(lacks the role|has not approved|does not exist)/i)
  ) {
    return {
      fault: 'human_not_approved',
      detail,
      fix: 'the test human is unknown, lacks the human role, or has not approved this agent: pick an approved human (--human), or grant the role and record the approval',
    };
  }
  if (
    oauthError === 'invalid_target' ||
    mentions(message, /Service not found/i, /resource principal named/i, /no default audience/i) ||
    vendorCode === 'AADSTS500011'
  ) {
    return { fault: 'wrong_audience', detail, fix: audienceFix[vendor] };
  }
  // Auth0: 403 access_denied for a scope outside the agent's client grant.
  if (vendor === 'auth0' && /Client has not been granted scopes/i.test(message)) {
    return {
      fault: 'bad_scope',
      detail,
      fix: "set API_SCOPE to scopes of the agent's client grant, or leave it empty (Auth0 puts every granted scope in the token whatever is requested), or grant the scope (Applications > APIs > Machine to Machine Applications)",
    };
  }
  if (oauthError === 'invalid_scope') {
    return {
      fault: vendor === 'entraid' ? 'wrong_audience' : 'bad_scope',
      detail,
      fix:
        vendor === 'entraid'
          ? audienceFix.entraid
          : 'set API_SCOPE to scopes the IdP offers this agent (space separated); Okta requires at least one',
    };
  }
  // Entra finds a certificate credential by the assertion's x5t#S256 (AADSTS50027: none sent;
  // AADSTS700027: no registered certificate has it, or the signature does not match it).
  if (vendor === 'entraid' && (vendorCode === 'AADSTS700027' || vendorCode === 'AADSTS50027')) {
    return {
      fault: 'wrong_credentials',
      detail,
      fix: "the certificate assertion was refused: AGENT_CERTIFICATE_THUMBPRINT must be the x5t#S256 (base64url SHA-256 of the DER) of a certificate uploaded to the agent's app registration (Certificates & secrets), and AGENT_PRIVATE_KEY_PATH its private key",
    };
  }
  if (
    status === 401 ||
    oauthError === 'invalid_client' ||
    oauthError === 'unauthorized_client' ||
    vendorCode === 'AADSTS7000215'
  ) {
    return {
      fault: 'wrong_credentials',
      detail,
      fix: `the IdP refused the agent's credentials: check AGENT_CLIENT_ID and AGENT_CLIENT_SECRET (${secretSource}) against the client at the IdP, or AGENT_PRIVATE_KEY_PATH and the public key registered there, and that AGENT_AUTH_METHOD is enabled for the client`,
    };
  }
  if (oauthError === 'access_denied') {
    return {
      fault: 'agent_not_approved',
      detail,
      fix: `the IdP denied the delegation: check that the agent is pre-approved (${agentFix[vendor]}) and that the human approved it`,
    };
  }
  return { fault: 'idp_unavailable', detail, fix: 'unexpected refusal: read the IdP log for this request' };
}
