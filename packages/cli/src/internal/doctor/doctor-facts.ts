import type { DualAuthConfig, IdpAdapter, Secret, TokenResponse } from '@dual-auth/core';
import type { HybridSender } from '@dual-auth/sender';
import type { AdapterProbe, AppConfigOverrides } from '../app-config.ts';
import type { CommandContext } from '../command-context.ts';
import type { HumanPolicyValues } from '../human-policy.ts';
import type { VendorEndpoints } from '../vendor-endpoints.ts';
import type { DoctorCheck } from './doctor-check.ts';
import type { DoctorHumanPolicy } from './human-policy-check.ts';
import type { DoctorJwks, TokenClaims } from './verify-with-jwks.ts';

/** What doctor's checks find and hand on: each is known once the check providing it succeeded. */
export interface DoctorFacts {
  /** `getConfig()`'s configuration (check `config`). */
  readonly config: DualAuthConfig;
  /** Where the token URL says the issuer and its discovery document are (`token-url`). */
  readonly endpoints: VendorEndpoints;
  /** The discovery document's issuer and JWKS URL, matching the token URL (`discovery`). */
  readonly discovery: { readonly issuer: string; readonly jwksUri: string };
  /** The IdP's signing keys (`jwks`). */
  readonly jwks: DoctorJwks;
  /** The adapter class and the mode the configuration selects (`adapter`, before the app key). */
  readonly adapterProbe: AdapterProbe;
  /** The application key's sender; `sender` undefined when the mode needs none (`app-key`). */
  readonly appKey: { readonly sender: HybridSender | undefined };
  /** The vendor adapter the agent would use (`adapter`). */
  readonly adapter: IdpAdapter;
  /** How the API checks the human (`human-policy`). */
  readonly humanPolicy: DoctorHumanPolicy;
  /** Exchange mode: the human's access token from `--subject-token-file` (`exchange`). */
  readonly subjectToken: Secret;
  /** The test human's IAM id (`--human`, an input). */
  readonly testHuman: string;
  /** The token the adapter got for the test human (`token`). */
  readonly token: TokenResponse;
  /** The token's claims, its signature and issuer verified (`signature`). */
  readonly tokenClaims: TokenClaims;
  /** `API_AUDIENCE`, which the token's `aud` contains (`audience`). */
  readonly audience: string;
  /** The human is where the mode puts it; agbac: the claim holding it (`human`). */
  readonly humanInToken: { readonly humanClaim: string | undefined };
}

/** What every doctor check may read besides the facts: the command line and environment. */
export interface DoctorInput {
  readonly context: CommandContext;
  readonly environment: Record<string, string | undefined>;
  readonly overrides: AppConfigOverrides;
  readonly humanPolicy: HumanPolicyValues;
  /** `--save-token FILE`. */
  readonly saveToken: string | undefined;
  /** `--subject-token-file FILE`: the human's access token, for exchange mode. */
  readonly subjectTokenFile?: string | undefined;
}

/** One of doctor's checks, needing the facts named by `Need`. */
export type DoctorSetupCheck<Need extends keyof DoctorFacts = keyof DoctorFacts> = DoctorCheck<
  DoctorFacts,
  Need,
  DoctorInput
>;
