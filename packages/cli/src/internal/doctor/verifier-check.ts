import type { DualAuthConfig, TokenResponse } from '@dual-auth/core';
import type { HybridSender } from '@dual-auth/sender';
import { createVerifier, type Layout } from '@dual-auth/verifier';
import { humanPolicyFix, humanStatus, humanVerdictText } from '../human-policy.ts';
import type { CheckOutcome } from './doctor-check.ts';
import type { DoctorFacts, DoctorSetupCheck } from './doctor-facts.ts';
import type { DoctorHumanPolicy } from './human-policy-check.ts';
import type { DoctorJwks } from './verify-with-jwks.ts';

/** What the verifier check needs from the checks before it. */
export interface VerifierStepInput {
  readonly config: DualAuthConfig & { readonly audience: string };
  readonly issuer: string;
  readonly jwks: DoctorJwks;
  readonly mode: Layout;
  readonly humanClaim: string | undefined;
  readonly sender: HybridSender | undefined;
  readonly tokenResponse: TokenResponse;
  readonly human: DoctorHumanPolicy;
}

/** doctor: `createVerifier`, configured as the API would be with this human policy, allows the token. */
export async function checkVerifier(input: VerifierStepInput): Promise<CheckOutcome<DoctorFacts>> {
  const { config, mode, sender, tokenResponse, human } = input;
  const verifier = createVerifier({
    issuer: input.issuer,
    audience: config.audience,
    keys: input.jwks as { keys: object[] },
    vendor: config.vendor,
    layout: mode,
    cache: false,
    ...(input.humanClaim === undefined ? {} : { humanClaim: input.humanClaim }),
    ...human.policy.verifierOptions,
    // The configured agent is the one that exchanged the human's token, as the API must list it.
    ...(mode === 'rfc8693' ? { onBehalfOfAgents: [config.clientId] } : {}),
    ...(mode === 'hybrid' && sender !== undefined
      ? {
          hybrid: {
            keys: (await sender.publicJwks()) as unknown as { keys: object[] },
            issuer: config.appId as string,
          },
        }
      : {}),
  });
  const decision = await verifier.verify(
    {
      authorization: `Bearer ${tokenResponse.accessToken}`,
      actAssertion: tokenResponse.actAssertion,
      method: 'GET',
      path: '/',
    },
    human.policy.humanRoles === undefined ? {} : { humanRoles: human.policy.humanRoles },
  );
  const humanText = humanVerdictText(decision, mode);
  if (decision.allow && humanStatus(decision) === 'authorized')
    return {
      status: 'pass',
      detail: `ALLOW: agent ${decision.agent.id}, human ${decision.human.id} ${humanText}${human.assumed ? ' (assumed: no human policy given)' : ''}`,
    };
  if (!decision.allow && decision.code === 'human_unchecked')
    return {
      status: 'fail',
      fault: 'human_unchecked',
      detail: `DENY human_unchecked: human ${decision.human?.id ?? '?'} ${humanText}`,
      fix: humanPolicyFix(mode),
    };
  const failed = (['agent', 'human', 'delegation'] as const)
    .filter((name) => !decision.subjects[name].ok)
    .map((name) => `${name}: ${name === 'human' ? humanText : decision.subjects[name].reason}`)
    .filter((text) => decision.allow || !text.endsWith(`: ${decision.reason}`));
  return {
    status: 'fail',
    fault: 'verifier_denied',
    detail: `${decision.allow ? 'ALLOW, but the human was not checked' : `DENY ${decision.code}: ${decision.reason}`}${failed.length === 0 ? '' : ` (${failed.join('; ')})`}`,
    fix:
      decision.allow || decision.code !== 'human_denied'
        ? 'run "dual-auth verify" with the API\'s settings on a token to see each subject'
        : 'the policy refuses this human: pick a human it authorizes (--human), or grant the role or the delegation in the directory the API checks',
  };
}

type VerifierNeed =
  | 'humanInToken'
  | 'audience'
  | 'humanPolicy'
  | 'config'
  | 'discovery'
  | 'jwks'
  | 'adapterProbe'
  | 'appKey'
  | 'token';

/** `verifier`: the verifier, as the API would configure it, allows the token the adapter got. */
export const verifierCheck: DoctorSetupCheck<VerifierNeed> = {
  id: 'verifier',
  title: 'the verifier allows it (as the API would)',
  // The first three in this order: a human missing from the token was already reported, and an
  // audience or human policy check that failed is named.
  needs: [
    'humanInToken',
    'audience',
    'humanPolicy',
    'config',
    'discovery',
    'jwks',
    'adapterProbe',
    'appKey',
    'token',
  ],
  provides: [],
  whenNotRun(need) {
    if (need === 'audience') return { status: 'skip', detail: 'skipped: the audience check failed' };
    if (need === 'humanPolicy')
      return { status: 'skip', detail: 'skipped: no human policy to check the human with' };
    return undefined;
  },
  run: (facts) =>
    checkVerifier({
      config: { ...facts.config, audience: facts.audience },
      issuer: facts.discovery.issuer,
      jwks: facts.jwks,
      mode: facts.adapterProbe.layout,
      humanClaim: facts.humanInToken.humanClaim,
      sender: facts.appKey.sender,
      tokenResponse: facts.token,
      human: facts.humanPolicy,
    }),
};
