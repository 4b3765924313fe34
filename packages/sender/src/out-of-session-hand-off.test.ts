import { inspect } from 'node:util';
import { type Act, Secret } from '@dual-auth/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { pkcs8Pem, recordingLogger } from '../test/keys.ts';
import { HybridSender } from './hybrid-sender.ts';

const appId = 'https://app.example.com';
const agentEndpoint = 'https://agent.example.com/invoke';
const act: Act = { sub: 'f1234567-89ab-cdef-0123-456789abcdef' };
// A JWT-shaped canary: every part of it is searched for wherever the hand-off could show up.
const canary = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTVUJKRUNULUNBTkFSWSJ9.U1VCSkVDVC1DQU5BUlktU0lH';

async function sender() {
  const { logger, entries } = recordingLogger();
  return { sender: await HybridSender.create({ privateKey: pkcs8Pem('p256'), appId, logger }), entries };
}

describe('HybridSender.prepareOutOfSessionHandOff', () => {
  it('sends the subject token in X-Subject-Token, the act JWT alone in the JSON body', async () => {
    const { sender: app } = await sender();
    const handOff = await app.prepareOutOfSessionHandOff(act, {
      agentEndpoint,
      subjectToken: new Secret(canary),
    });
    expect(handOff.url).toBe(agentEndpoint);
    const init = handOff.requestInit();
    expect(init.method).toBe('POST');
    expect(init.headers.get('x-subject-token')).toBe(canary);
    expect(init.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(init.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['act_jwt']);
    expect(body.act_jwt).toBe(handOff.actJwt);
    // The act JWT is the same as prepareOutOfSessionAct's: no claim holds the subject token.
    expect(decodeProtectedHeader(handOff.actJwt).typ).toBe('act+jwt');
    const claims = decodeJwt(handOff.actJwt);
    const actJwtClaims = ['act', 'agbac_ver', 'aud', 'delegation', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'];
    expect(Object.keys(claims).filter((name) => !actJwtClaims.includes(name))).toEqual([]);
    expect(JSON.stringify(claims)).not.toContain('SUBJECT');
    expect(handOff.actJwt).not.toContain(canary.split('.')[1]);
  });

  it('sends no X-Subject-Token without a subject token', async () => {
    const { sender: app } = await sender();
    const handOff = await app.prepareOutOfSessionHandOff(act, { agentEndpoint });
    expect(handOff.subjectToken).toBeUndefined();
    expect(handOff.requestInit().headers.has('x-subject-token')).toBe(false);
  });

  it.each([
    ['a plain string', canary, /subjectToken must be a Secret/],
    ['an empty Secret', new Secret(''), /not a bearer token/],
    ['a header-splitting value', new Secret(`${canary}\r\nX-Other: 1`), /not a bearer token/],
    ['a value with a space', new Secret(`${canary} x`), /not a bearer token/],
  ])('refuses %s with a TypeError that never shows it', async (_name, subjectToken, message) => {
    const { sender: app } = await sender();
    const error = await app
      .prepareOutOfSessionHandOff(act, { agentEndpoint, subjectToken: subjectToken as Secret })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(message);
    expect(`${String(error)} ${inspect(error)}`).not.toContain('eyJzdWIi');
  });

  it('refuses an agent endpoint whose URL holds the subject token', async () => {
    const { sender: app } = await sender();
    const error = await app
      .prepareOutOfSessionHandOff(act, {
        agentEndpoint: `${agentEndpoint}?token=${canary}`,
        subjectToken: new Secret(canary),
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toContain('never put it in a URL');
    expect(String(error)).not.toContain('eyJzdWIi');
  });

  it('never shows the subject token in JSON, inspect, toString or the logs', async () => {
    const { sender: app, entries } = await sender();
    const handOff = await app.prepareOutOfSessionHandOff(act, {
      agentEndpoint,
      subjectToken: new Secret(canary),
    });
    const texts = [
      JSON.stringify(handOff),
      JSON.stringify({ handOff }),
      inspect(handOff, { depth: 10 }),
      String(handOff),
      `${handOff.subjectToken}`,
      ...entries.map((entry) => JSON.stringify(entry)),
    ];
    expect(JSON.parse(texts[0] as string)).toEqual({
      url: agentEndpoint,
      actJwt: handOff.actJwt,
      subjectToken: '[REDACTED]',
    });
    for (const part of canary.split('.')) {
      expect(texts.filter((text) => text.includes(part))).toEqual([]);
    }
  });
});
