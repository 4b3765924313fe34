// Each vendor's emulation lives in vendors/<vendor>.ts (and helper files named for it); the shared
// files of the embedded IdP are vendor-neutral mechanics that ask `vendorEmulation(vendor)`.
import { readdirSync, readFileSync } from 'node:fs';
import { vendors } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { defaultIdpFixture } from './default-fixture.ts';
import { vendorEmulation, vendorEmulations } from './vendor-emulation.ts';

const idpDirectory = new URL('./', import.meta.url);
const sharedFiles = readdirSync(idpDirectory).filter(
  (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
);

/** The source without its comments (TSDoc examples may name vendors; code may not). */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('vendor emulation', () => {
  it.each(sharedFiles)('%s names no vendor outside vendors/', (name) => {
    const source = code(readFileSync(new URL(name, idpDirectory), 'utf8'));
    expect(source.match(/['"`](?:keycloak|auth0|okta|entraid)['"`]/gi) ?? []).toEqual([]);
    expect(source).not.toMatch(/switch \((?:\w+\.)?vendor\)/);
  });

  it('has one emulation per vendor, each found by its vendor', () => {
    expect(vendorEmulations.map(({ vendor }) => vendor).sort()).toEqual([...vendors].sort());
    for (const vendor of vendors) expect(vendorEmulation(vendor).vendor).toBe(vendor);
  });

  it('matches the root mount (Auth0) last, after every vendor mounted under a path', () => {
    const mounts = vendorEmulations.map(({ spec }) => spec.mount(defaultIdpFixture()));
    expect(mounts.at(-1)).toBe('');
    expect(mounts.slice(0, -1).every((mount) => mount.startsWith('/'))).toBe(true);
  });
});
