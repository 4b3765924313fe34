import { afterAll, beforeAll } from 'vitest';
import { trustTestCa } from '../tls/test-tls.ts';
import { type EmbeddedIdpHooks, startEmbeddedIdp } from './start-embedded-idp.ts';
import type { EmbeddedIdp, EmbeddedIdpOptions } from './types.ts';

/**
 * The embedded IdP of one test file or `describe` block: a `beforeAll` hook trusts the test CA and
 * starts the IdP with `options`, an `afterAll` hook closes it and takes the trust back. Every member
 * of the returned IdP reads the started one, so it is declared once where the hooks belong and read
 * in tests and in hooks registered after it. Reading it before its `beforeAll` hook ran (while the
 * tests are collected) or after its `afterAll` hook closed it throws a `TypeError` that says so.
 * It registers vitest hooks, so it is exported from `@dual-auth/testkit/conformance`.
 *
 * @example
 * ```ts
 * const idp = useEmbeddedIdp({ vendors: ['okta'] });
 *
 * it('issues an Okta token', async () => {
 *   const okta = idp.profile('okta');
 *   const response = await fetch(okta.tokenEndpoint, { method: 'POST', body: form });
 *   expect(response.status).toBe(200);
 * });
 * ```
 */
export function useEmbeddedIdp(
  options: EmbeddedIdpOptions & EmbeddedIdpHooks = {},
): Omit<EmbeddedIdp, 'close'> {
  let started: EmbeddedIdp | undefined;
  let closed = false;
  let untrust: (() => void) | undefined;

  beforeAll(async () => {
    untrust = trustTestCa();
    started = await startEmbeddedIdp(options);
  });
  afterAll(async () => {
    const idp = started;
    started = undefined;
    closed = true;
    try {
      await idp?.close();
    } finally {
      untrust?.();
    }
  });

  const running = (): EmbeddedIdp => {
    if (started !== undefined) return started;
    throw new TypeError(
      closed
        ? 'useEmbeddedIdp: the embedded IdP was read after its afterAll hook closed it'
        : 'useEmbeddedIdp: the embedded IdP was read before its beforeAll hook started it; read it in a test or in a hook registered after useEmbeddedIdp',
    );
  };
  return {
    get baseUrl() {
      return running().baseUrl;
    },
    get ca() {
      return running().ca;
    },
    get profiles() {
      return running().profiles;
    },
    profile: (vendor) => running().profile(vendor),
  };
}
