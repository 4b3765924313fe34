import { audienceMismatch, audiencesOf, issuerMismatch } from '../claim-mismatch.ts';
import { entraAudienceFix } from '../entra-audience-fix.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';
import { verifyWithJwks } from './verify-with-jwks.ts';

/** `signature`: the token verifies against the IdP's JWKS, with the discovery document's issuer. */
export const signatureCheck: DoctorSetupCheck<'token' | 'discovery' | 'jwks'> = {
  id: 'signature',
  title: 'token signature and issuer',
  needs: ['token', 'discovery', 'jwks'],
  provides: ['tokenClaims'],
  async run({ token, discovery: { issuer }, jwks }) {
    const verified = await verifyWithJwks(token.accessToken, jwks, { issuer });
    if (!verified.ok) {
      return {
        status: 'fail',
        fault: 'token_invalid',
        detail:
          verified.claim === 'iss'
            ? issuerMismatch(verified.payload?.iss, issuer, 'the discovery issuer')
            : verified.message,
        fix: 'the token is not signed by a key in the JWKS, or its iss differs from the discovery issuer (a proxy or frontend URL setting?)',
      };
    }
    return {
      status: 'pass',
      detail: `signed by a key in the JWKS, iss ${issuer}`,
      provides: { tokenClaims: verified.payload },
    };
  },
};

/** `audience`: the token's `aud` contains `API_AUDIENCE` (a warning when that is not set). */
export const audienceCheck: DoctorSetupCheck<'config' | 'tokenClaims'> = {
  id: 'audience',
  title: 'token audience is API_AUDIENCE',
  needs: ['config', 'tokenClaims'],
  provides: ['audience'],
  async run({ config, tokenClaims: { aud } }) {
    const entra = config.vendor === 'entraid';
    if (config.audience === undefined)
      return {
        status: 'warn',
        detail: `API_AUDIENCE is not set; the token's aud is ${audiencesOf(aud).join(', ') || 'missing'}`,
        fix:
          (entra ? entraAudienceFix(aud, undefined, 'API_AUDIENCE') : undefined) ??
          'set API_AUDIENCE to the API identifier the API checks',
      };
    if (audiencesOf(aud).includes(config.audience))
      return { status: 'pass', detail: config.audience, provides: { audience: config.audience } };
    return {
      status: 'fail',
      fault: 'wrong_audience',
      detail: `${audienceMismatch(aud, config.audience, 'API_AUDIENCE')}: the API would refuse it`,
      fix:
        config.vendor === 'keycloak'
          ? 'add an Audience mapper on the agent client for the API identifier, or set API_AUDIENCE to the aud the realm issues'
          : ((entra ? entraAudienceFix(aud, config.audience, 'API_AUDIENCE') : undefined) ??
            'set API_AUDIENCE to the API identifier the IdP issues tokens for'),
    };
  },
};
