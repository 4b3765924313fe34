import { agbacHumanClaim } from '../app-config.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

const fixes = {
  act_mapper_missing:
    "Keycloak did not copy the human into the token: deploy dual-auth's act mapper (the script-mapper JAR in providers/, Keycloak started with --features=scripts) and add it to the agent client's dedicated scope (docs/iam/keycloak.md)",
  auth0_action_missing:
    "Auth0 did not add the human: deploy dual-auth's credentials-exchange Action and bind it to the Machine to Machine flow (Actions > Flows), and make AUTH0_ACT_CLAIM the claim it writes (docs/iam/auth0.md)",
} as const;

/**
 * `human` in agbac mode: `act` (or, for Auth0, the Action's namespaced claim) names the test human,
 * beside `delegation` and `agbac_ver` from the same namespace.
 */
export const humanInTokenCheck: DoctorSetupCheck<
  'config' | 'adapterProbe' | 'adapter' | 'tokenClaims' | 'testHuman'
> = {
  id: 'human',
  title: 'the human is in the token (agbac mode)',
  needs: ['config', 'adapterProbe', 'adapter', 'tokenClaims', 'testHuman'],
  provides: ['humanInToken'],
  async run({ config, adapterProbe, adapter, tokenClaims: payload, testHuman }) {
    if (adapterProbe.mode !== 'agbac') return { status: 'silent' };
    const claim = agbacHumanClaim(config, adapter);
    const act = payload[claim] as { sub?: unknown } | undefined;
    const refusal = payload.dual_auth_refusal;
    const mapperVendor = config.vendor === 'keycloak' || config.vendor === 'auth0';
    if (act === undefined && typeof refusal === 'string') {
      // Keycloak's script mapper cannot fail a token request: it refuses the human by issuing the
      // token without act and with dual_auth_refusal (packages/iam/keycloak/dual-auth-act-mapper.js).
      const human = /(does not exist|is disabled|lacks the role|has not approved agent)/.test(refusal);
      return {
        status: 'fail',
        fault: human ? 'human_not_approved' : 'act_mapper_missing',
        detail: `the act mapper refused the human: the token has no ${claim}, and dual_auth_refusal says "${refusal}"`,
        fix: human
          ? 'pick a test human (--human) who has the human role and approved this agent, or grant the role and record the approval (dual_auth_approved_agents); an agent nobody approved needs an approval first'
          : 'the client assertion the agent sent was refused: report this if the sender and the mapper are both dual-auth',
      };
    }
    const fault = config.vendor === 'auth0' ? 'auth0_action_missing' : 'act_mapper_missing';
    if (act === undefined)
      return {
        status: 'fail',
        fault: mapperVendor ? fault : 'human_missing',
        detail: `the token has no ${claim} claim`,
        fix: mapperVendor
          ? fixes[fault]
          : `${config.vendor} cannot add request-time claims: set DUAL_AUTH_MODE=hybrid`,
      };
    if (act.sub !== testHuman)
      return {
        status: 'fail',
        fault: 'human_missing',
        detail: `${claim}.sub is ${String(act.sub)}, not the requested human`,
        fix: 'the mapper or Action must copy the human from the request, never a fixed value',
      };
    const namespace = claim.slice(0, -'act'.length);
    const delegation = payload[`${namespace}delegation`] as { method?: unknown } | undefined;
    const version = payload[`${namespace}agbac_ver`];
    if (typeof delegation?.method !== 'string' || version === undefined)
      return {
        status: 'fail',
        fault,
        detail: `${claim}.sub is the test human, but ${typeof delegation?.method === 'string' ? '' : `${namespace}delegation `}${version === undefined ? `${namespace}agbac_ver ` : ''}is missing`,
        fix: `${fixes[fault]} (an older version copies act only)`,
      };
    return {
      status: 'pass',
      detail: `${claim}.sub is the test human, delegation ${delegation.method}, agbac_ver ${String(version)}`,
      provides: { humanInToken: { humanClaim: claim } },
    };
  },
};
