import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/ and dist/ both sit one level below the package root, beside keycloak/, auth0/, okta/, entraid/.
const packageRoot = new URL('../../', import.meta.url);

/** Absolute path of a file shipped in the package, from a package-relative path. */
export function artefactPath(relative: string): string {
  if (
    typeof relative !== 'string' ||
    relative.length === 0 ||
    relative.startsWith('/') ||
    relative.includes('..')
  ) {
    throw new TypeError('artefact path must be a relative path inside @dual-auth/iam');
  }
  return fileURLToPath(new URL(relative, packageRoot));
}

const cache = new Map<string, string>();

/** The text of a shipped file, read once. */
export function readArtefact(relative: string): string {
  let text = cache.get(relative);
  if (text === undefined) {
    text = readFileSync(artefactPath(relative), 'utf8');
    cache.set(relative, text);
  }
  return text;
}
