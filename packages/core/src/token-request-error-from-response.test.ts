import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tokenRequestErrorFromResponse } from './token-request-error-from-response.ts';

const json = (body: unknown) => JSON.stringify(body);

describe('tokenRequestErrorFromResponse', () => {
  it('reads Keycloak errors', () => {
    const error = tokenRequestErrorFromResponse(
      401,
      new Headers(),
      json({
        error: 'unauthorized_client',
        error_description: 'Invalid client or Invalid client credentials',
      }),
    );
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REQUEST',
      status: 401,
      oauthError: 'unauthorized_client',
    });
    expect(error.vendorCode).toBeUndefined();
  });

  it('reads Entra AADSTS codes from error_codes, else from the description', () => {
    const description =
      'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1 Correlation ID: 2 Timestamp: 2026-11-23 10:00:00Z';
    const withCodes = tokenRequestErrorFromResponse(
      401,
      new Headers(),
      json({
        error: 'invalid_client',
        error_description: description,
        error_codes: [7000215],
        trace_id: 't',
      }),
    );
    expect(withCodes).toMatchObject({ oauthError: 'invalid_client', vendorCode: 'AADSTS7000215' });
    expect(withCodes.message).toBe(
      'The IdP refused the token request: HTTP 401 invalid_client AADSTS7000215 (AADSTS7000215: Invalid client secret provided.).',
    );
    const fromText = tokenRequestErrorFromResponse(
      400,
      new Headers(),
      json({
        error: 'invalid_grant',
        error_description: 'AADSTS501051: Application is not assigned a role.',
      }),
    );
    expect(fromText.vendorCode).toBe('AADSTS501051');
  });

  it("reads Okta's own error shape", () => {
    const error = tokenRequestErrorFromResponse(
      401,
      new Headers(),
      json({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        errorLink: 'E0000011',
        errorId: 'x',
        errorCauses: [],
      }),
    );
    expect(error).toMatchObject({ status: 401, vendorCode: 'E0000011', oauthError: undefined });
    expect(error.message).toContain('(Invalid token provided)');
  });

  it("reads Auth0's access_denied and rate limits", () => {
    expect(
      tokenRequestErrorFromResponse(
        401,
        new Headers(),
        json({ error: 'access_denied', error_description: 'Unauthorized' }),
      ),
    ).toMatchObject({ status: 401, oauthError: 'access_denied' });
    expect(
      tokenRequestErrorFromResponse(
        429,
        new Headers({ 'retry-after': '7', 'x-ratelimit-remaining': '0' }),
        '',
      ),
    ).toMatchObject({ status: 429, oauthError: 'rate_limited', retryAfterSeconds: 7 });
  });

  // Auth0 "Rate Limit Policy" / Okta "Rate limit best practices": the reset is an epoch second.
  it('turns an Auth0 or Okta rate-limit reset into the wait, without the header values', () => {
    for (const name of ['x-ratelimit-reset', 'X-Rate-Limit-Reset']) {
      const reset = Math.floor(Date.now() / 1000) + 30;
      const error = tokenRequestErrorFromResponse(
        429,
        new Headers({ [name]: String(reset), 'x-ratelimit-limit': '4242', 'x-ratelimit-remaining': '0' }),
        '',
      );
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(30);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(new RegExp(`4242|${reset}`));
    }
  });

  it('survives bodies that are not JSON objects', () => {
    for (const body of ['', '<html>', 'null', '[1]', json({ error: 42 })]) {
      const error = tokenRequestErrorFromResponse(500, new Headers(), body);
      expect(error).toMatchObject({ status: 500, oauthError: undefined });
      expect(error.message).toBe('The IdP refused the token request: HTTP 500.');
    }
  });

  it('redacts, cleans and shortens the description', () => {
    const error = tokenRequestErrorFromResponse(
      400,
      new Headers(),
      json({
        error: 'invalid_request',
        error_description: `bad assertion eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln for alice@example.com\u0007 ${'x'.repeat(400)}`,
      }),
    );
    expect(error.message).not.toMatch(/eyJ|alice@/);
    expect(error.message).not.toContain('\u0007');
    expect(error.message).toContain('[REDACTED:jwt]');
    expect(error.message.length).toBeLessThan(300);
  });

  describe('Entra suberror and claims challenge', () => {
    // The claims value of the error response example in learn.microsoft.com
    // entra/identity-platform/v2-oauth2-on-behalf-of-flow (interaction_required, AADSTS50079); the
    // web application passes it back as the `claims` authorize parameter (entra/identity-platform/
    // claims-challenge, MSAL's InteractionRequiredAuthError `claims` and `subError`).
    const claims =
      '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}';
    const refusal = (extra: Record<string, unknown>) =>
      tokenRequestErrorFromResponse(
        400,
        new Headers(),
        json({
          error: 'interaction_required',
          error_description: 'AADSTS50079: you must enroll in multifactor authentication.',
          error_codes: [50079],
          ...extra,
        }),
      );

    it('keeps suberror and the claims challenge, the challenge out of the message and serialized forms', () => {
      const error = refusal({ suberror: 'basic_action', claims });
      expect(error).toMatchObject({
        status: 400,
        oauthError: 'interaction_required',
        vendorCode: 'AADSTS50079',
        subError: 'basic_action',
        claimsChallenge: claims,
      });
      expect(error.message).toContain('interaction_required AADSTS50079 basic_action');
      const serialized = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 5 })];
      for (const text of serialized) expect(text).not.toContain('9ab03e19-ed42-4168-b6b7-7001fb3e933a');
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ subError: 'basic_action' });
    });

    it.each([
      ['oversized', `{"access_token":{"acrs":{"value":"${'c'.repeat(5000)}"}}}`],
      ['not JSON', '{"access_token":'],
      ['a JSON array', '["access_token"]'],
      ['a JSON string', '"access_token"'],
      ['JSON with a duplicate member', '{"access_token":{},"access_token":{}}'],
      ['not a string', { access_token: {} }],
    ])('drops a claims challenge that is %s and keeps the rest', (_kind, value) => {
      const error = refusal({ suberror: 'basic_action', claims: value });
      expect(error.claimsChallenge).toBeUndefined();
      expect(error).toMatchObject({
        oauthError: 'interaction_required',
        vendorCode: 'AADSTS50079',
        subError: 'basic_action',
      });
    });

    it.each([
      ['too long', 'x'.repeat(65)],
      ['outside the code charset', 'consent required\n'],
      ['not a string', 65001],
    ])('drops a suberror that is %s and keeps the rest', (_kind, value) => {
      const error = refusal({ suberror: value, claims });
      expect(error.subError).toBeUndefined();
      expect(error).toMatchObject({ vendorCode: 'AADSTS50079', claimsChallenge: claims });
      expect(error.message).not.toContain('consent required');
    });

    it('reads consent_required as Entra sends it with invalid_grant AADSTS65001', () => {
      const error = tokenRequestErrorFromResponse(
        400,
        new Headers(),
        json({ error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' }),
      );
      expect(error).toMatchObject({
        oauthError: 'invalid_grant',
        vendorCode: 'AADSTS65001',
        subError: 'consent_required',
      });
      expect(error.claimsChallenge).toBeUndefined();
    });
  });
});
