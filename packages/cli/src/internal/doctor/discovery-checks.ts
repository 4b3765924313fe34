import type { DualAuthConfig } from '@dual-auth/core';
import { FetchJsonError, fetchJson } from '../fetch-json.ts';
import { networkFailureFixes } from '../network-failure.ts';
import { tokenUrlExample, tokenUrlSettings, vendorEndpoints } from '../vendor-endpoints.ts';
import { errorText } from './doctor-check.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/** `token-url`: the token URL has the vendor's shape, which says where its issuer is. */
export const tokenUrlCheck: DoctorSetupCheck<'config'> = {
  id: 'token-url',
  title: 'token URL has the vendor shape',
  needs: ['config'],
  provides: ['endpoints'],
  async run({ config }) {
    const endpoints = vendorEndpoints(config.vendor, config.tokenUrl);
    if (endpoints === undefined)
      return {
        status: 'fail',
        fault: 'token_url_shape',
        detail: `${config.tokenUrl} is not a ${config.vendor} token endpoint`,
        fix: `use ${tokenUrlExample(config.vendor)}`,
      };
    return { status: 'pass', detail: config.tokenUrl, provides: { endpoints } };
  },
};

/** The fix for an unreadable discovery document: trust the CA, fix the network, or the token URL. */
function discoveryFix(error: unknown, config: DualAuthConfig): string {
  if (error instanceof FetchJsonError && error.failure !== undefined && error.failure !== 'other')
    return networkFailureFixes[error.failure];
  if (error instanceof FetchJsonError && error.status === 404)
    return `the realm / tenant / authorization server in ${tokenUrlSettings[config.vendor]} is probably wrong: copy the token URL from the IdP`;
  return 'check the host, realm / tenant / authorization server in the token URL, DNS, proxies and TLS trust';
}

/** `discovery`: the discovery document names the expected issuer, this token endpoint and a JWKS. */
export const discoveryCheck: DoctorSetupCheck<'config' | 'endpoints'> = {
  id: 'discovery',
  title: 'discovery document',
  needs: ['config', 'endpoints'],
  provides: ['discovery'],
  async run({ config, endpoints }) {
    let discovery: Record<string, unknown>;
    try {
      discovery = await fetchJson(endpoints.discoveryUrl);
    } catch (error) {
      return {
        status: 'fail',
        fault: 'url_unreachable',
        detail: errorText(error),
        fix: discoveryFix(error, config),
      };
    }
    const issuer = typeof discovery.issuer === 'string' ? discovery.issuer : undefined;
    const tokenEndpoint = discovery.token_endpoint;
    const jwksUri = typeof discovery.jwks_uri === 'string' ? discovery.jwks_uri : undefined;
    const problems: string[] = [];
    if (issuer === undefined) problems.push('no issuer');
    else if (issuer !== endpoints.issuer && config.vendor !== 'entraid') {
      problems.push(`issuer is ${issuer}, expected ${endpoints.issuer}`);
    }
    if (tokenEndpoint !== config.tokenUrl) {
      problems.push(
        `token_endpoint is ${String(tokenEndpoint)}, the configured token URL is ${config.tokenUrl}`,
      );
    }
    if (jwksUri === undefined) problems.push('no jwks_uri');
    if (problems.length > 0 || issuer === undefined || jwksUri === undefined)
      return {
        status: 'fail',
        fault: 'discovery_mismatch',
        detail: problems.join('; '),
        fix: 'the token URL does not belong to this issuer: copy it from the discovery document',
      };
    return { status: 'pass', detail: `issuer ${issuer}`, provides: { discovery: { issuer, jwksUri } } };
  },
};

/** `jwks`: the JWKS the discovery document names lists at least one signing key. */
export const jwksCheck: DoctorSetupCheck<'discovery'> = {
  id: 'jwks',
  title: 'JWKS',
  needs: ['discovery'],
  provides: ['jwks'],
  async run({ discovery: { jwksUri } }) {
    let jwks: Record<string, unknown>;
    try {
      jwks = await fetchJson(jwksUri);
    } catch (error) {
      return {
        status: 'fail',
        fault: 'url_unreachable',
        detail: errorText(error),
        fix: 'the JWKS must be reachable by every API',
      };
    }
    const keys = Array.isArray(jwks.keys)
      ? (jwks.keys as Record<string, unknown>[]).filter(
          (key) =>
            typeof key === 'object' && key !== null && typeof key.kty === 'string' && key.use !== 'enc',
        )
      : [];
    if (keys.length === 0)
      return {
        status: 'fail',
        fault: 'jwks_invalid',
        detail: `${jwksUri} lists no signing key`,
        fix: 'check the IdP has an active signing key',
      };
    return {
      status: 'pass',
      detail: `${keys.length} signing key${keys.length === 1 ? '' : 's'} at ${jwksUri}`,
      provides: { jwks: { keys: keys } },
    };
  },
};
