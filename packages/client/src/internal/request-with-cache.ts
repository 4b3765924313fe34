import {
  type IdpAdapter,
  type Logger,
  parseAct,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import type { TokenCache } from '../create-token-cache.ts';
import { loggableSubject } from './loggable-subject.ts';

/** Validates the parameters, then asks the cache (or the adapter directly). Shared by both token requests. */
export async function requestWithCache(
  adapter: IdpAdapter,
  cache: TokenCache | undefined,
  logger: Logger,
  params: TokenRequestParams,
): Promise<TokenResponse> {
  if (params === null || typeof params !== 'object') throw new TypeError('requestToken needs parameters');
  if (typeof params.agentId !== 'string' || params.agentId.trim().length === 0) {
    throw new TypeError('agentId must be a non-empty string');
  }
  if (
    params.scope !== undefined &&
    (!Array.isArray(params.scope) || params.scope.some((s) => typeof s !== 'string'))
  ) {
    throw new TypeError('scope must be an array of strings');
  }
  // The client's edge: an act from receiveAndVerifyActJwt or extractActFromSession is already
  // checked and passes at once; another caller-supplied act is an argument, not a received
  // credential, so invalid is misuse. The checked act then goes on to the adapter as it is.
  const parsed = parseAct(params.act);
  if (!parsed.ok) throw new TypeError(`act is invalid: ${parsed.problem}`);
  const validated: TokenRequestParams = { ...params, act: parsed.act };
  logger.info('dual-subject token requested', {
    agentId: validated.agentId,
    human: loggableSubject(parsed.act.sub),
    vendor: adapter.vendor,
  });
  return cache === undefined ? adapter.requestToken(validated) : cache.requestToken(adapter, validated);
}
