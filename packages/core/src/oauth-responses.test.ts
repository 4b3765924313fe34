import { describe, expect, it } from 'vitest';
import { TokenRequestError } from './errors.ts';
import { tokenResponseFromBody } from './oauth-responses.ts';

describe('tokenResponseFromBody', () => {
  it('reads each vendor shape', () => {
    const keycloak = {
      access_token: 'a',
      expires_in: 300,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'profile email',
    };
    const entraV1 = { token_type: 'Bearer', expires_in: '3599', ext_expires_in: '3599', access_token: 'b' };
    const okta = { token_type: 'Bearer', expires_in: 3600, access_token: 'c', scope: 'finance.read' };
    expect(tokenResponseFromBody(keycloak, { receivedAt: 0 })).toMatchObject({
      expiresIn: 300,
      expiresAt: 300_000,
      scope: ['profile', 'email'],
    });
    expect(tokenResponseFromBody(entraV1)).toMatchObject({ expiresIn: 3599, scope: [] });
    expect(tokenResponseFromBody(okta).accessToken).toBe('c');
    expect(tokenResponseFromBody({ ...okta, token_type: 'bearer' }).tokenType).toBe('Bearer');
  });

  it.each([
    [null, 'value'],
    ['text', 'value'],
    [{ token_type: 'Bearer', expires_in: 300 }, 'access_token'],
    [{ access_token: '', token_type: 'Bearer', expires_in: 300 }, 'access_token'],
    [{ access_token: 'x'.repeat(16 * 1024 + 1), token_type: 'Bearer', expires_in: 300 }, 'access_token'],
    [{ access_token: 'a', token_type: 'mac', expires_in: 300 }, 'token_type'],
    [{ access_token: 'a', token_type: 'Bearer' }, 'expires_in'],
    [{ access_token: 'a', token_type: 'Bearer', expires_in: -5 }, 'expires_in'],
    [{ access_token: 'a', token_type: 'Bearer', expires_in: '12abc' }, 'expires_in'],
    [{ access_token: 'a', token_type: 'Bearer', expires_in: 1e12 }, 'expires_in'],
  ])('refuses %j with a TokenRequestError naming %s', (body, field) => {
    try {
      tokenResponseFromBody(body);
      expect.unreachable('a malformed body must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(TokenRequestError);
      expect((error as TokenRequestError).oauthError).toBe('invalid_response');
      expect((error as Error).message).toContain(`(${field}:`);
    }
  });

  it('never echoes the body', () => {
    try {
      tokenResponseFromBody({ access_token: 'canary-token-value', token_type: 'canary-type', expires_in: 1 });
    } catch (error) {
      expect((error as Error).message).not.toContain('canary');
    }
  });
});
