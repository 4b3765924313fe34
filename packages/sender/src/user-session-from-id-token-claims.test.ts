import type { Act, Vendor } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { HybridSender } from './hybrid-sender.ts';
import { userSessionFromIdTokenClaims } from './user-session-from-id-token-claims.ts';

const sender = new HybridSender();

describe('userSessionFromIdTokenClaims', () => {
  const subjectVendors: [Vendor, Record<string, unknown>, Act][] = [
    [
      'keycloak',
      {
        sub: 'f1234567-89ab-cdef-0123-456789abcdef',
        preferred_username: 'alice',
        email: 'alice@corp.example.com',
        name: 'Alice Smith',
      },
      { sub: 'f1234567-89ab-cdef-0123-456789abcdef', email: 'alice@corp.example.com', name: 'Alice Smith' },
    ],
    // preferred_username is used for the email only when it is one.
    ['keycloak', { sub: 'u-1', preferred_username: 'alice' }, { sub: 'u-1' }],
    [
      'auth0',
      { sub: 'auth0|63f1234567890abcdef12345', email: 'bob@example.com', name: 'Bob' },
      { sub: 'auth0|63f1234567890abcdef12345', email: 'bob@example.com', name: 'Bob' },
    ],
    [
      'okta',
      { sub: '00u123abc456xyz', preferred_username: 'carol@example.com' },
      { sub: '00u123abc456xyz', email: 'carol@example.com' },
    ],
  ];
  for (const [vendor, claims, act] of subjectVendors) {
    it(`${vendor}: sub is the IAM user id (${Object.keys(claims).join(', ')})`, () => {
      expect(sender.extractActFromSession(userSessionFromIdTokenClaims(claims, { vendor }))).toEqual(act);
    });
  }

  it('Entra ID: oid is the IAM id (sub and preferred_username stay out of act.sub), email from upn', () => {
    const claims = {
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
      preferred_username: 'dave@contoso.onmicrosoft.com',
      upn: 'dave.upn@contoso.com',
      name: 'Dave',
    };
    const act = sender.extractActFromSession(userSessionFromIdTokenClaims(claims, { vendor: 'entraid' }));
    expect(act).toEqual({
      sub: '00000000-0000-0000-66f3-3332eca7ea81',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      email: 'dave@contoso.onmicrosoft.com',
      name: 'Dave',
    });
    const upnOnly = userSessionFromIdTokenClaims(
      { oid: 'o-1', upn: 'erin@contoso.com' },
      { vendor: 'entraid' },
    );
    expect(upnOnly.userEmail).toBe('erin@contoso.com');
  });

  it('drops display fields that are not valid, and refuses a missing id or vendor', () => {
    const session = userSessionFromIdTokenClaims(
      { sub: 'u-1', email: 'not an email', name: 'x'.repeat(300) },
      { vendor: 'okta' },
    );
    expect({ ...session }).toEqual({
      userId: 'u-1',
      userEmail: undefined,
      userName: undefined,
      userOid: undefined,
    });
    expect(() => userSessionFromIdTokenClaims({ sub: 'u-1' }, { vendor: 'entraid' })).toThrow(
      new TypeError(
        'userSessionFromIdTokenClaims: the ID token has no oid claim (request the profile scope so Entra ID includes oid)',
      ),
    );
    expect(() => userSessionFromIdTokenClaims({ email: 'a@example.com' }, { vendor: 'auth0' })).toThrow(
      new TypeError('userSessionFromIdTokenClaims: the ID token has no sub claim'),
    );
    expect(() => userSessionFromIdTokenClaims({ sub: 'u-1' }, { vendor: 'ping' as never })).toThrow(
      TypeError,
    );
    expect(() => userSessionFromIdTokenClaims('eyJ...' as never, { vendor: 'okta' })).toThrow(TypeError);
  });
});
