import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { defaultIdpFixture } from './default-fixture.ts';
import type { IdpFixture } from './types.ts';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(255), v.regex(/^[^\p{Cc}]*$/u));
const authMethod = v.picklist([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
]);
const jwk = v.looseObject({ kty: v.string() });

const fixtureSchema = v.strictObject({
  realm: v.optional(v.pipe(name, v.regex(/^[\w-]+$/))),
  oktaAuthServerId: v.optional(v.pipe(name, v.regex(/^[\w-]+$/))),
  entraTenantId: v.optional(v.pipe(v.string(), v.uuid())),
  api: v.optional(v.strictObject({ identifier: v.pipe(v.string(), v.url()), scopes: v.array(name) })),
  agentRole: v.optional(name),
  humanRole: v.optional(name),
  auth0ActClaim: v.optional(v.pipe(v.string(), v.url(), v.endsWith('act'))),
  agents: v.optional(
    v.array(
      v.strictObject({
        clientId: v.pipe(name, v.regex(/^[\w.-]+$/)),
        clientSecret: v.pipe(
          v.string(),
          v.minLength(32, 'client secrets must have at least 32 characters (HS256)'),
        ),
        publicJwk: v.optional(jwk),
        privateJwk: v.optional(jwk),
        authMethods: v.pipe(v.array(authMethod), v.minLength(1)),
        roles: v.array(name),
        kind: v.optional(v.picklist(['agent', 'directory-reader'])),
      }),
    ),
  ),
  humans: v.optional(
    v.array(
      v.strictObject({
        id: v.pipe(name, v.regex(/^[\w.@|-]+$/)),
        email: v.pipe(v.string(), v.email()),
        name,
        roles: v.array(name),
        approvedAgents: v.array(name),
      }),
    ),
  ),
});

/**
 * Reads a fixture file (JSON): any subset of {@link IdpFixture}, the rest from the default fixture.
 * An invalid file is refused with the path of the first problem.
 *
 * @example
 * ```ts
 * const fixture = await loadFixtureFile('./idp-fixture.json');
 * const idp = await startEmbeddedIdp({ fixture });
 * ```
 */
export async function loadFixtureFile(path: string): Promise<IdpFixture> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`fixture file ${path} is not readable JSON: ${(error as Error).message}`);
  }
  const result = v.safeParse(fixtureSchema, parsed);
  if (!result.success) {
    const issue = result.issues[0];
    const at = issue.path?.map((segment) => String(segment.key)).join('.') ?? '(root)';
    throw new TypeError(`fixture file ${path}: ${at}: ${issue.message}`);
  }
  const defaults = defaultIdpFixture();
  const overrides = Object.fromEntries(
    Object.entries(result.output).filter(([, value]) => value !== undefined),
  );
  return { ...defaults, ...overrides } as IdpFixture;
}
