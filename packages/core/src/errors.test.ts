import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  ActVerificationError,
  ApiCallError,
  ConfigurationError,
  DualAuthError,
  denialHttpStatus,
  isDualAuthError,
  ReplayError,
  SecretsBackendError,
  TokenRequestError,
  TokenStoreError,
} from './errors.ts';

describe('error taxonomy', () => {
  const cause = new Error('underlying');
  const cases = [
    [new ConfigurationError('m', { setting: 'X', cause }), 'ERR_CONFIGURATION', 'ConfigurationError'],
    [
      new SecretsBackendError('m', { backend: 'aws', secretName: 'n', cause }),
      'ERR_SECRETS_BACKEND',
      'SecretsBackendError',
    ],
    [
      new TokenRequestError('m', { status: 401, oauthError: 'invalid_client', cause }),
      'ERR_TOKEN_REQUEST',
      'TokenRequestError',
    ],
    [new ActVerificationError('expired', 'm', { cause }), 'ERR_ACT_VERIFICATION', 'ActVerificationError'],
    [new ReplayError('replayed', 'm', { cause }), 'ERR_REPLAY', 'ReplayError'],
    [new ApiCallError('m', { status: 502, cause }), 'ERR_API_CALL', 'ApiCallError'],
    [new TokenStoreError('m', { cause }), 'ERR_TOKEN_STORE', 'TokenStoreError'],
    [new AccessDeniedError('human_denied', 'm', { cause }), 'human_denied', 'AccessDeniedError'],
  ] as const;

  it.each(cases)('%s has a stable code, its class name and the cause', (error, code, name) => {
    expect(error).toBeInstanceOf(DualAuthError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.cause).toBe(cause);
    expect(isDualAuthError(error, code)).toBe(true);
  });

  it('keeps the details each kind needs', () => {
    expect(new ConfigurationError('m', { setting: 'AGENT_CLIENT_ID' }).setting).toBe('AGENT_CLIENT_ID');
    const backend = new SecretsBackendError('m', { backend: 'vault', secretName: 'secret/data/x' });
    expect([backend.backend, backend.secretName]).toEqual(['vault', 'secret/data/x']);
    const token = new TokenRequestError('m', {
      status: 400,
      oauthError: 'invalid_scope',
      vendorCode: 'AADSTS1002012',
      retryAfterSeconds: 3,
    });
    expect([token.status, token.oauthError, token.vendorCode, token.retryAfterSeconds]).toEqual([
      400,
      'invalid_scope',
      'AADSTS1002012',
      3,
    ]);
    expect(new ActVerificationError('binding_invalid', 'm').reason).toBe('binding_invalid');
    expect(new ReplayError('store_full', 'm').reason).toBe('store_full');
  });

  it('maps every denial to its HTTP status', () => {
    expect(denialHttpStatus).toEqual({
      token_invalid: 401,
      agent_denied: 403,
      human_denied: 403,
      human_unchecked: 403,
      delegation_invalid: 403,
      idp_unavailable: 503,
    });
    expect(new AccessDeniedError('idp_unavailable', 'm').httpStatus).toBe(503);
    expect(new AccessDeniedError('token_invalid', 'm').httpStatus).toBe(401);
    expect(new AccessDeniedError('human_unchecked', 'm').httpStatus).toBe(403);
    expect(
      isDualAuthError(Object.assign(new Error('m'), { code: 'human_unchecked' }), 'human_unchecked'),
    ).toBe(true);
  });

  it('has no cause property when none was given', () => {
    expect('cause' in new ConfigurationError('m')).toBe(false);
  });

  it('recognises errors from another copy of the package by code, and nothing else', () => {
    const foreign = Object.assign(new Error('m'), { code: 'ERR_REPLAY' });
    expect(isDualAuthError(foreign)).toBe(true);
    expect(isDualAuthError(foreign, 'ERR_REPLAY')).toBe(true);
    expect(isDualAuthError(foreign, 'ERR_API_CALL')).toBe(false);
    expect(
      isDualAuthError(Object.assign(new Error('m'), { code: 'ERR_TOKEN_STORE' }), 'ERR_TOKEN_STORE'),
    ).toBe(true);
    expect(isDualAuthError(Object.assign(new Error('m'), { code: 'ENOENT' }))).toBe(false);
    expect(isDualAuthError({ code: 'ERR_REPLAY' })).toBe(false);
    expect(isDualAuthError(new ConfigurationError('m'), 'ERR_REPLAY')).toBe(false);
  });

  it('serializes without enumerable secrets or cause', () => {
    const error = new TokenRequestError('refused', { status: 401, cause: new Error('canary-cause-value') });
    expect(JSON.stringify(error)).not.toContain('canary-cause-value');
  });
});
