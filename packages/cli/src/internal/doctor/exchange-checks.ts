import { readFile } from 'node:fs/promises';
import { Secret, type Vendor } from '@dual-auth/core';
import { decodeUnverifiedJws } from '@dual-auth/core/jose';
import { resolvePath } from '../command-context.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/**
 * What each vendor's token exchange needs besides dual-auth's settings: the agent's permission to
 * exchange, and the audience the human's token must carry (each adapter's TSDoc and the vendor's docs).
 */
export const exchangeRequirements: Readonly<Record<Vendor, string>> = {
  keycloak:
    "Keycloak 26.2+ standard token exchange: the agent client needs standard.token.exchange.enabled (Client > Capability config > Standard Token Exchange), and the human's token must name the agent in aud (an audience mapper on the web application's client)",
  okta: "Okta on-behalf-of token exchange: the agent's service app needs the Token Exchange grant, and an access policy rule of the custom authorization server (OKTA_TOKEN_URL …/oauth2/{id}/v1/token) must allow it; the human's token is for that server",
  auth0:
    "Auth0 on-behalf-of token exchange: the agent must be a Custom API client with On-Behalf-Of Token Exchange switched on, and the human's token must be for the agent's own API",
  entraid:
    "Entra ID on-behalf-of: the agent app needs the API's delegated permissions, consented, and the human's token must be for the agent app (its aud is the agent)",
};

const cannotCheck =
  'without a human’s access token (--subject-token-file) doctor checks the configuration, discovery and JWKS only, not the exchange permission, the exchange, the exchanged token or the verifier';

/** The human claims an exchanged or subject token may name the human in: Keycloak/Auth0, Okta, Entra ID. */
export const humanClaimsOf = (claims: Readonly<Record<string, unknown>>): readonly unknown[] => [
  claims.sub,
  claims.uid,
  claims.oid,
];

/**
 * `exchange`, in exchange mode only: what the vendor's exchange needs, and the human's access token
 * from `--subject-token-file`, read into a `Secret` and looked at without verifying (a JWT, not
 * expired, for this agent at Keycloak, naming the test human). Its value is never printed.
 */
export const exchangeCheck: DoctorSetupCheck<'config' | 'adapterProbe'> = {
  id: 'exchange',
  title: 'exchange mode (RFC 8693 token exchange)',
  needs: ['config', 'adapterProbe'],
  provides: ['subjectToken'],
  async run({ config, adapterProbe, testHuman }, { context, subjectTokenFile }) {
    if (adapterProbe.mode !== 'exchange') return { status: 'silent' };
    const requirement = exchangeRequirements[config.vendor];
    if (subjectTokenFile === undefined)
      return {
        status: 'warn',
        detail: `${requirement}; ${cannotCheck}`,
        fix: 'pass --subject-token-file FILE holding a short-lived access token of the test human for this agent (doctor never prints it)',
      };
    let subjectToken: Secret;
    try {
      subjectToken = new Secret((await readFile(resolvePath(context, subjectTokenFile), 'utf8')).trim());
    } catch (error) {
      return {
        status: 'fail',
        fault: 'config_invalid',
        detail: `cannot read --subject-token-file ${subjectTokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
        fix: 'give a readable file holding the human’s access token',
      };
    }
    const decoded = decodeUnverifiedJws(subjectToken.reveal());
    if (!decoded.ok)
      return {
        status: 'warn',
        detail: `${requirement}; the subject token is not a JWT, so only the IdP can say whom it names and for whom`,
        provides: { subjectToken },
      };
    const { payload } = decoded;
    const problems: string[] = [];
    if (typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now()) problems.push('it has expired');
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (config.vendor === 'keycloak' && !audiences.includes(config.clientId))
      problems.push(
        `its aud does not name ${config.clientId} (Keycloak answers 403 "Client is not within the token audience")`,
      );
    if (testHuman !== undefined && !humanClaimsOf(payload).includes(testHuman))
      problems.push('it names another human than --human');
    if (problems.length > 0)
      return {
        status: 'fail',
        fault: 'subject_token_invalid',
        detail: `subject token from ${subjectTokenFile}: ${problems.join('; ')}`,
        fix: 'get a fresh access token of the test human whose audience is this agent',
      };
    return {
      status: 'pass',
      detail: `${requirement}; the subject token from ${subjectTokenFile} is a JWT for this agent naming the test human`,
      provides: { subjectToken },
    };
  },
};

/**
 * `human` in exchange mode: the IdP put the test human in the exchanged token (`sub`, Okta's `uid`,
 * Entra ID's `oid`); the verifier step then reads it in the rfc8693 layout.
 */
export const exchangedHumanCheck: DoctorSetupCheck<'adapterProbe' | 'tokenClaims' | 'testHuman'> = {
  id: 'human',
  title: 'the human is in the exchanged token (exchange mode)',
  needs: ['adapterProbe', 'tokenClaims', 'testHuman'],
  provides: ['humanInToken'],
  async run({ adapterProbe, tokenClaims, testHuman }) {
    if (adapterProbe.mode !== 'exchange') return { status: 'silent' };
    if (!humanClaimsOf(tokenClaims).includes(testHuman))
      return {
        status: 'fail',
        fault: 'human_missing',
        detail: 'the exchanged token names another human than --human (sub, uid and oid)',
        fix: 'give the test human’s own access token in --subject-token-file',
      };
    const chain =
      tokenClaims.act === undefined ? 'no act (the agent is the token’s client)' : 'act names the actors';
    return {
      status: 'pass',
      detail: `names the test human; ${chain}`,
      provides: { humanInToken: { humanClaim: undefined } },
    };
  },
};
