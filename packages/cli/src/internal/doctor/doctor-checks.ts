import { actAssertionCheck } from './act-assertion-check.ts';
import { adapterCheck, adapterModeCheck } from './adapter-checks.ts';
import { appKeyCheck } from './app-key-check.ts';
import { configCheck } from './config-check.ts';
import { discoveryCheck, jwksCheck, tokenUrlCheck } from './discovery-checks.ts';
import type { DoctorFacts, DoctorSetupCheck } from './doctor-facts.ts';
import { exchangeCheck, exchangedHumanCheck } from './exchange-checks.ts';
import { humanInTokenCheck } from './human-in-token-check.ts';
import { humanPolicyCheck } from './human-policy-check.ts';
import { agentEndpointCheck, apiUrlCheck } from './reachability-checks.ts';
import { saveTokenCheck } from './save-token-check.ts';
import { tokenCheck } from './token-check.ts';
import { audienceCheck, signatureCheck } from './token-claims-checks.ts';
import { verifierCheck } from './verifier-check.ts';

/** The facts doctor's command line supplies rather than a check: the test human (`--human`). */
export const doctorInputFacts: readonly (keyof DoctorFacts)[] = ['testHuman'];

/**
 * doctor's checks, in the order they run and are printed: each needs only what the command line or
 * an earlier check provides (`assertChecksInOrder` holds for this list).
 *
 * @example
 * await runDoctorChecks(doctorChecks, { testHuman: 'alice' }, input, print);
 */
export const doctorChecks: readonly DoctorSetupCheck[] = [
  configCheck,
  tokenUrlCheck,
  discoveryCheck,
  jwksCheck,
  apiUrlCheck,
  agentEndpointCheck,
  adapterModeCheck,
  appKeyCheck,
  adapterCheck,
  exchangeCheck,
  humanPolicyCheck,
  tokenCheck,
  saveTokenCheck,
  signatureCheck,
  audienceCheck,
  humanInTokenCheck,
  actAssertionCheck,
  exchangedHumanCheck,
  verifierCheck,
];
