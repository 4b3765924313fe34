import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture, type EmbeddedIdp } from '@dual-auth/testkit';
import { createStaticHumanAuthorizer, type Layout, type VerifierOptions } from '@dual-auth/verifier';

/** What the demo's resource servers (finance API, MCP server) share to verify one vendor's tokens. */
export interface DemoVerifierSettings {
  readonly idp: EmbeddedIdp;
  readonly vendor: Vendor;
  readonly layout: Layout;
  readonly appId: string;
  /** The application's public key (PEM): verifies act assertions in the hybrid layout. */
  readonly appPublicKeyPem: string;
}

/**
 * The verifier options of one vendor and layout on the embedded IdP: its issuer, audience and
 * JWKS, the layout's human source (`rfc8693`: the agent that exchanges users' tokens), and a human
 * authorizer backed by the IdP's users (their roles and the agents they approved).
 */
export function demoVerifierOptions(settings: DemoVerifierSettings) {
  const { vendor, layout } = settings;
  const profile = settings.idp.profile(vendor);
  return {
    issuer: profile.issuer,
    audience: profile.audience,
    jwksUri: profile.jwksUri,
    vendor,
    layout,
    // The Auth0 Action can only write namespaced claims: the human and its delegation.
    ...(vendor === 'auth0' && layout === 'agbac' ? { humanClaim: defaultIdpFixture().auth0ActClaim } : {}),
    ...(layout === 'hybrid' ? { hybrid: { keys: settings.appPublicKeyPem, issuer: settings.appId } } : {}),
    // Okta and Entra ID mark no on-behalf-of token (a web application's user token has its form), so
    // the verifier reads a token without act only from the agents listed. Auth0's chain tokens carry
    // act, which the list does not govern.
    ...(layout === 'rfc8693' ? { onBehalfOfAgents: ['finance-agent'] } : {}),
    humanAuthorizer: createStaticHumanAuthorizer(
      Object.fromEntries(
        profile.humans.map((human) => [human.id, { roles: human.roles, agents: human.approvedAgents }]),
      ),
    ),
  } satisfies Partial<VerifierOptions>;
}
