import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testTls, trustTestCa } from '../tls/test-tls.ts';
import type { EmbeddedIdp } from './types.ts';
import { useEmbeddedIdp } from './use-embedded-idp.ts';

function thrownBy(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Whether global fetch trusts a loopback server that presents the test CA's certificate. */
async function fetchTrustsTestCa(): Promise<boolean> {
  const { cert, key } = testTls();
  const server = https.createServer({ cert, key }, (_request, response) => response.end('secure'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return (await response.text()) === 'secure';
  } catch {
    return false;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

let idpOfBlock: Omit<EmbeddedIdp, 'close'> | undefined;
let discoveryUrlOfBlock = '';

describe('useEmbeddedIdp: in the block that uses it', () => {
  const idp = useEmbeddedIdp({ vendors: ['keycloak'] });
  idpOfBlock = idp;
  const readWhileCollected = thrownBy(() => idp.profile('keycloak'));

  it('throws a TypeError naming the beforeAll hook when read while the tests are collected', () => {
    expect(readWhileCollected).toBeInstanceOf(TypeError);
    expect((readWhileCollected as Error).message).toBe(
      'useEmbeddedIdp: the embedded IdP was read before its beforeAll hook started it; read it in a test or in a hook registered after useEmbeddedIdp',
    );
  });

  it('starts the IdP with the options and trusts the test CA, so its discovery document is fetched over https', async () => {
    const keycloak = idp.profile('keycloak');
    discoveryUrlOfBlock = keycloak.discoveryUrl;
    expect(idp.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.ca).toBe(testTls().ca);
    expect(Object.keys(idp.profiles)).toEqual(['keycloak']);
    expect(() => idp.profile('okta')).toThrow();
    const discovery = (await (await fetch(keycloak.discoveryUrl)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(keycloak.issuer);
  });
});

describe('useEmbeddedIdp: after the block that used it', () => {
  it('throws a TypeError naming the afterAll hook when read after it closed the IdP', () => {
    expect(idpOfBlock).toBeDefined();
    for (const read of [
      () => idpOfBlock?.baseUrl,
      () => idpOfBlock?.ca,
      () => idpOfBlock?.profile('keycloak'),
    ])
      expect(read).toThrow(
        new TypeError('useEmbeddedIdp: the embedded IdP was read after its afterAll hook closed it'),
      );
  });

  it('took the trust of the test CA back', async () => {
    expect(await fetchTrustsTestCa()).toBe(false);
  });

  it('closed the IdP: its discovery URL no longer answers, even with the test CA trusted', async () => {
    expect(discoveryUrlOfBlock).not.toBe('');
    const untrust = trustTestCa();
    try {
      expect(await fetchTrustsTestCa()).toBe(true);
      await expect(fetch(discoveryUrlOfBlock)).rejects.toThrow();
    } finally {
      untrust();
    }
  });
});
