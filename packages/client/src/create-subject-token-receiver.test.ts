import { inspect } from 'node:util';
import { ActVerificationError, Secret, SUBJECT_TOKEN_HEADER } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createSubjectTokenReceiver } from './create-subject-token-receiver.ts';

const NOW_MS = Date.parse('2026-12-01T10:00:00Z');
const now = NOW_MS / 1000;
const HUMAN = '5b6c7d8e-0000-4000-8000-00000000a11c';
const act = { sub: HUMAN };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped subject token; its signature is not checked here (the IdP checks it at exchange). */
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJlLWNhbmFyeS1zdWJqZWN0`;
const keycloakToken = (extra: Record<string, unknown> = {}) =>
  jwt({
    iss: 'https://kc/realms/r',
    sub: HUMAN,
    aud: 'finance-agent',
    azp: 'web',
    iat: now - 10,
    exp: now + 290,
    ...extra,
  });

const receive = createSubjectTokenReceiver({ audience: 'finance-agent', clock: () => NOW_MS });

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ActVerificationError);
    const { reason, message } = error as ActVerificationError;
    return { reason, message };
  }
  throw new Error('expected a refusal');
}

describe('createSubjectTokenReceiver', () => {
  it('reads the header into a Secret from web Headers and from Node’s header record', () => {
    const token = keycloakToken();
    const fromHeaders = receive(new Headers({ [SUBJECT_TOKEN_HEADER]: token }), act);
    expect(fromHeaders).toBeInstanceOf(Secret);
    expect(fromHeaders.reveal()).toBe(token);
    expect(receive({ 'x-subject-token': token, host: 'agent' }, act).reveal()).toBe(token);
    expect(receive({ 'x-subject-token': [token] }, act).reveal()).toBe(token);
  });

  it.each([
    ['an array aud naming the agent', { aud: ['account', 'finance-agent'] }],
    ['Okta: the human in uid, the login in sub', { sub: 'alice@example.com', uid: HUMAN }],
    ['Entra ID: the human in oid', { sub: 'pairwise', oid: HUMAN }],
    ['no iat, exp within the bound', { iat: undefined }],
    ['exp just past, within the skew', { exp: now - 20 }],
  ])('accepts %s', (_name, extra) => {
    expect(receive({ 'x-subject-token': keycloakToken(extra) }, act)).toBeInstanceOf(Secret);
  });

  it.each([
    ['no header', {}, 'malformed', 'no X-Subject-Token header'],
    ['an empty header', { 'x-subject-token': '' }, 'malformed', 'no X-Subject-Token header'],
    [
      'two headers',
      { 'x-subject-token': [keycloakToken(), keycloakToken()] },
      'malformed',
      'more than one X-Subject-Token header',
    ],
    [
      'two values joined',
      { 'x-subject-token': `${keycloakToken()}, ${keycloakToken()}` },
      'malformed',
      'more than one X-Subject-Token header',
    ],
    [
      'an opaque token',
      { 'x-subject-token': 'opaque-canary-token' },
      'malformed',
      'not a JWT, so its audience and lifetime cannot be checked',
    ],
    [
      'a token longer than an access token may be',
      { 'x-subject-token': 'a'.repeat(16 * 1024 + 1) },
      'too_large',
      'longer than an access token may be',
    ],
    ['no exp', { 'x-subject-token': keycloakToken({ exp: undefined }) }, 'malformed', 'no exp'],
    ['exp past the skew', { 'x-subject-token': keycloakToken({ exp: now - 31 }) }, 'expired', 'expired'],
    [
      'an aud of another client',
      { 'x-subject-token': keycloakToken({ aud: 'other-agent' }) },
      'audience_invalid',
      'its aud does not name this agent',
    ],
    [
      'no aud',
      { 'x-subject-token': keycloakToken({ aud: undefined }) },
      'audience_invalid',
      'its aud does not name this agent',
    ],
    [
      'a lifetime over 900 s',
      { 'x-subject-token': keycloakToken({ iat: now - 10, exp: now + 900 }) },
      'lifetime_too_long',
      'it lives longer than 900 s (exp - iat)',
    ],
    [
      'no iat and exp far ahead',
      { 'x-subject-token': keycloakToken({ iat: undefined, exp: now + 3600 }) },
      'lifetime_too_long',
      'it expires more than 900 s from now',
    ],
    [
      'another human',
      { 'x-subject-token': keycloakToken({ sub: 'someone-else' }) },
      'binding_invalid',
      'it names another human than the act JWT',
    ],
  ])('refuses %s', (_name, headers, reason, problem) => {
    expect(refusal(() => receive(headers, act))).toEqual({
      reason,
      message: `subject token refused: ${problem}`,
    });
  });

  it('takes a longer bound and a list of audiences when told', () => {
    const okta = createSubjectTokenReceiver({
      audience: ['api://agent', 'finance-agent'],
      maxLifetimeSeconds: 3600,
      clock: () => NOW_MS,
    });
    const token = keycloakToken({ aud: 'api://agent', iat: now - 60, exp: now + 3500 });
    expect(okta({ 'x-subject-token': token }, act).reveal()).toBe(token);
  });

  it.each([
    [{ audience: '' }, /audience must be/],
    [{ audience: [] }, /audience must be/],
    [{ audience: 'a', maxLifetimeSeconds: 0 }, /maxLifetimeSeconds must be/],
    [{ audience: 'a', maxLifetimeSeconds: 86_401 }, /maxLifetimeSeconds must be/],
    [{ audience: 'a', maxLifetimeSeconds: 1.5 }, /maxLifetimeSeconds must be/],
  ])('refuses bad options with a TypeError: %o', (options, message) => {
    expect(() => createSubjectTokenReceiver(options as never)).toThrow(TypeError);
    expect(() => createSubjectTokenReceiver(options as never)).toThrow(message);
  });

  it('refuses a call without the act JWT’s act (misuse)', () => {
    expect(() => receive({ 'x-subject-token': keycloakToken() }, undefined as never)).toThrow(TypeError);
  });

  it('never shows the token: not in an error, its JSON or inspect, nor in the Secret’s', () => {
    const canary = keycloakToken({ sub: 'someone-else', canary: 'SUBJECT-CANARY-1' });
    const texts: string[] = [];
    for (const token of [canary, `${canary}, ${canary}`, 'opaque-SUBJECT-CANARY-2']) {
      try {
        receive({ 'x-subject-token': token }, act);
      } catch (error) {
        texts.push(
          String(error),
          JSON.stringify(error),
          inspect(error, { depth: 5 }),
          (error as Error).stack ?? '',
        );
      }
    }
    const accepted = receive({ 'x-subject-token': keycloakToken({ canary: 'SUBJECT-CANARY-3' }) }, act);
    texts.push(String(accepted), JSON.stringify({ accepted }), inspect(accepted), `${accepted}`);
    expect(texts).toHaveLength(16);
    const secretParts = [canary.split('.')[1] as string, 'SUBJECT-CANARY', 'c2lnbmF0dXJl'];
    expect(texts.filter((text) => secretParts.some((part) => text.includes(part)))).toEqual([]);
  });
});
