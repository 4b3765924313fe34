import type { DualAuthConfig, TokenResponse } from '@dual-auth/core';
import type { HybridSender } from '@dual-auth/sender';
import { createVerifier } from '@dual-auth/verifier';
import type { JSONWebKeySet } from 'jose';
import type { DoctorHumanPolicy } from '../check-human-policy.ts';
import type { Checklist } from '../doctor-checklist.ts';
import { humanPolicyFix, humanStatus, humanVerdictText } from '../human-policy.ts';

/** What the verifier step needs from the checks before it. */
export interface VerifierStepInput {
  readonly config: DualAuthConfig & { readonly audience: string };
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly mode: 'agbac' | 'hybrid';
  readonly humanClaim: string | undefined;
  readonly sender: HybridSender | undefined;
  readonly tokenResponse: TokenResponse;
  readonly human: DoctorHumanPolicy;
}

const title = 'the verifier allows it (as the API would)';

/** doctor: `createVerifier`, configured as the API would be with this human policy, allows the token. */
export async function checkVerifier(checks: Checklist, input: VerifierStepInput): Promise<void> {
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
    ...(mode === 'hybrid' && sender !== undefined
      ? {
          actAssertionKeys: (await sender.publicJwks()) as unknown as { keys: object[] },
          actAssertionIssuer: config.appId as string,
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
  if (decision.allow && humanStatus(decision) === 'authorized') {
    checks.pass(
      'verifier',
      title,
      `ALLOW: agent ${decision.agent.id}, human ${decision.human.id} ${humanText}${human.assumed ? ' (assumed: no human policy given)' : ''}`,
    );
    return;
  }
  if (!decision.allow && decision.code === 'human_unchecked') {
    checks.fail(
      'verifier',
      title,
      'human_unchecked',
      `DENY human_unchecked: human ${decision.human?.id ?? '?'} ${humanText}`,
      humanPolicyFix(mode),
    );
    return;
  }
  const failed = (['agent', 'human', 'delegation'] as const)
    .filter((name) => !decision.subjects[name].ok)
    .map((name) => `${name}: ${name === 'human' ? humanText : decision.subjects[name].reason}`)
    .filter((text) => decision.allow || !text.endsWith(`: ${decision.reason}`));
  checks.fail(
    'verifier',
    title,
    'verifier_denied',
    `${decision.allow ? 'ALLOW, but the human was not checked' : `DENY ${decision.code}: ${decision.reason}`}${failed.length === 0 ? '' : ` (${failed.join('; ')})`}`,
    decision.allow || decision.code !== 'human_denied'
      ? 'run "dual-auth verify" with the API\'s settings on a token to see each subject'
      : 'the policy refuses this human: pick a human it authorizes (--human), or grant the role or the delegation in the directory the API checks',
  );
}
