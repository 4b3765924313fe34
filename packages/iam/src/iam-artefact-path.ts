import { artefactPath } from './internal/read-artefact.ts';

/**
 * The files `@dual-auth/iam` ships, by vendor: configuration to apply with the vendor's own tools.
 *
 * @example
 * ```ts
 * const file: IamArtefact = 'okta/main.tf';
 * ```
 */
export type IamArtefact =
  | 'keycloak/dual-auth-act-mapper.js'
  | 'keycloak/META-INF/keycloak-scripts.json'
  | 'keycloak/realm-import.json'
  | 'keycloak/pack-provider-jar.mjs'
  | 'auth0/credentials-exchange-action.cjs'
  | 'auth0/main.tf'
  | 'auth0/variables.tf'
  | 'auth0/outputs.tf'
  | 'okta/main.tf'
  | 'okta/variables.tf'
  | 'okta/outputs.tf'
  | 'entraid/main.tf'
  | 'entraid/variables.tf'
  | 'entraid/outputs.tf';

/**
 * Absolute path of one shipped IAM artefact, e.g. to copy it or hand it to Terraform.
 *
 * @example
 * ```ts
 * import { cpSync } from 'node:fs';
 * import { dirname } from 'node:path';
 * cpSync(dirname(iamArtefactPath('okta/main.tf')), './infra/okta', { recursive: true });
 * ```
 */
export function iamArtefactPath(artefact: IamArtefact): string {
  return artefactPath(artefact);
}
