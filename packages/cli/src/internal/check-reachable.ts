import type { DualAuthConfig } from '@dual-auth/core';
import type { Checklist } from './doctor-checklist.ts';
import { networkFailureFixes } from './network-failure.ts';
import { probeUrl } from './probe-url.ts';

/** doctor: API_URL and AGENT_ENDPOINT, when configured, answer HTTP at all (any status counts). */
export async function checkReachable(checks: Checklist, config: DualAuthConfig): Promise<void> {
  const targets = [
    ['api-url', 'API_URL', config.apiUrl, 'the protected API'],
    ['agent-endpoint', 'AGENT_ENDPOINT', config.agentEndpoint, "the out-of-session agent's endpoint"],
  ] as const;
  for (const [id, setting, url, what] of targets) {
    if (url === undefined) continue;
    const title = `${setting} is reachable (${what})`;
    const result = await probeUrl(url);
    if (result.ok) checks.pass(id, title, `${url} answered HTTP ${result.status}`);
    else
      checks.fail(
        id,
        title,
        'url_unreachable',
        `${url}: ${result.reason}`,
        `${networkFailureFixes[result.kind]}; or correct ${setting}`,
      );
  }
}
