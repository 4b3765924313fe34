import type { DualAuthConfig } from '@dual-auth/core';
import { networkFailureFixes } from '../network-failure.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';
import { probeUrl } from './probe-url.ts';

/** A URL setting that, when set, must answer HTTP at all (any status counts): nothing when unset. */
function reachabilityCheck(
  id: string,
  setting: string,
  urlOf: (config: DualAuthConfig) => string | undefined,
  what: string,
): DoctorSetupCheck<'config'> {
  return {
    id,
    title: `${setting} is reachable (${what})`,
    needs: ['config'],
    provides: [],
    async run({ config }) {
      const url = urlOf(config);
      if (url === undefined) return { status: 'silent' };
      const result = await probeUrl(url);
      if (result.ok) return { status: 'pass', detail: `${url} answered HTTP ${result.status}` };
      return {
        status: 'fail',
        fault: 'url_unreachable',
        detail: `${url}: ${result.reason}`,
        fix: `${networkFailureFixes[result.kind]}; or correct ${setting}`,
      };
    },
  };
}

/** `api-url`: `API_URL`, when set, answers HTTP. */
export const apiUrlCheck = reachabilityCheck(
  'api-url',
  'API_URL',
  (config) => config.apiUrl,
  'the protected API',
);

/** `agent-endpoint`: `AGENT_ENDPOINT`, when set, answers HTTP. */
export const agentEndpointCheck = reachabilityCheck(
  'agent-endpoint',
  'AGENT_ENDPOINT',
  (config) => config.agentEndpoint,
  "the out-of-session agent's endpoint",
);
