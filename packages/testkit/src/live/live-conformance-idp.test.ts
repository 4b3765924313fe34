import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@dual-auth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../idp/use-embedded-idp.ts';
import { liveConformanceIdp } from './live-conformance-idp.ts';
import { type LiveTenant, readLiveTenant } from './read-live-tenant.ts';

const idp = useEmbeddedIdp({ vendors: ['okta', 'auth0'] });
const directory = mkdtempSync(join(tmpdir(), 'dual-auth-live-test-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

function tenantFor(vendor: 'okta' | 'auth0', overrides: Record<string, string> = {}): LiveTenant {
  const profile = idp.profile(vendor);
  const prefix = `DUAL_AUTH_LIVE_${vendor.toUpperCase()}_`;
  const reading = readLiveTenant(vendor, {
    [`${prefix}ISSUER`]: profile.issuer,
    [`${prefix}AUDIENCE`]: profile.audience,
    [`${prefix}AGENT_CLIENT_ID`]: 'finance-agent',
    [`${prefix}AGENT_CLIENT_SECRET`]: 'agent-secret',
    [`${prefix}ROGUE_CLIENT_ID`]: 'rogue-agent',
    [`${prefix}ROGUE_CLIENT_SECRET`]: 'rogue-secret',
    [`${prefix}APPROVED_HUMAN`]: 'human-a',
    ...(vendor === 'auth0' ? { [`${prefix}REFUSED_HUMANS`]: 'human-b,human-c' } : {}),
    ...overrides,
  });
  if (!reading.configured) throw new Error(reading.reason);
  return reading.tenant;
}

function keyFile(name: string, content: string, mode = 0o600): string {
  const path = join(directory, name);
  writeFileSync(path, content, { mode });
  return path;
}

async function configurationError(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => new Error('expected a ConfigurationError'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('liveConformanceIdp', () => {
  it('finds the endpoints by discovery (Auth0: the issuer with its trailing slash) and casts the tenant', async () => {
    const profile = idp.profile('auth0');
    const live = await liveConformanceIdp(tenantFor('auth0'));
    expect(live.profile).toMatchObject({
      issuer: profile.issuer,
      tokenEndpoint: profile.tokenEndpoint,
      jwksUri: profile.jwksUri,
      audience: profile.audience,
    });
    expect(live.profile.agents.map((agent) => [agent.clientId, agent.clientSecret])).toEqual([
      ['finance-agent', 'agent-secret'],
      ['rogue-agent', 'rogue-secret'],
    ]);
    expect(live.profile.humans.map((human) => human.id)).toEqual(['human-a', 'human-b', 'human-c']);
    expect(live.cast).toEqual({
      agent: 'finance-agent',
      rogueAgent: 'rogue-agent',
      approvedHuman: 'human-a',
    });
  });

  it('refuses an issuer other than the one the tenant announces, naming the variable', async () => {
    const tenant = tenantFor('okta');
    const error = await configurationError(liveConformanceIdp({ ...tenant, issuer: `${tenant.issuer}/` }));
    expect(error.setting).toBe('DUAL_AUTH_LIVE_OKTA_ISSUER');
  });

  it('reads PEM and JWK private keys, with the configured kid', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = keyFile('agent.pem', privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const jwk = keyFile(
      'rogue.jwk',
      JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'k-rogue' }),
    );
    const live = await liveConformanceIdp(
      tenantFor('okta', {
        DUAL_AUTH_LIVE_OKTA_AUTH_METHOD: 'private_key_jwt',
        DUAL_AUTH_LIVE_OKTA_AGENT_PRIVATE_KEY_PATH: pem,
        DUAL_AUTH_LIVE_OKTA_AGENT_PRIVATE_KEY_ID: 'k-agent',
        DUAL_AUTH_LIVE_OKTA_ROGUE_PRIVATE_KEY_PATH: jwk,
      }),
    );
    const [agent, rogue] = live.profile.agents;
    expect(agent?.privateJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      kid: 'k-agent',
      d: expect.any(String),
    });
    expect(rogue?.privateJwk).toMatchObject({ kid: 'k-rogue' });
    expect(createPrivateKey({ key: agent?.privateJwk ?? {}, format: 'jwk' }).asymmetricKeyType).toBe('ec');
  });

  it.each([
    ['a missing key file', () => join(directory, 'missing.pem')],
    ['a file that is no key', () => keyFile('not-a-key.pem', 'canary-not-a-key-31d2')],
    ['a public JWK', () => keyFile('public.jwk', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }))],
  ])('refuses %s, naming the variable and never the content', async (_, path) => {
    const error = await configurationError(
      liveConformanceIdp(
        tenantFor('okta', {
          DUAL_AUTH_LIVE_OKTA_AUTH_METHOD: 'private_key_jwt',
          DUAL_AUTH_LIVE_OKTA_AGENT_PRIVATE_KEY_PATH: path(),
          DUAL_AUTH_LIVE_OKTA_ROGUE_PRIVATE_KEY_PATH: path(),
        }),
      ),
    );
    expect(error.setting).toBe('DUAL_AUTH_LIVE_OKTA_AGENT_PRIVATE_KEY_PATH');
    expect(error.message).not.toContain('canary-not-a-key');
  });
});
