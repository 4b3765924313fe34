import type { ActAssertionInput } from '../idp-adapter.ts';
import type { TokenResponse } from '../token-response.ts';
import type { ResolvedAdapter } from './resolve-client-credentials-adapter.ts';

/**
 * In hybrid mode, the token response with the act assertion of `signActAssertion`, bound to the
 * token just received; in the other modes the response as it is.
 */
export async function attachActAssertion(
  adapter: ResolvedAdapter,
  tokenResponse: TokenResponse,
  { act, delegation }: Pick<ActAssertionInput, 'act' | 'delegation'>,
): Promise<TokenResponse> {
  const { mode, options, config } = adapter;
  const signer = options.signActAssertion;
  if (mode !== 'hybrid' || signer === undefined || adapter.actAudience === undefined) return tokenResponse;
  const actAssertion = await signer({
    accessToken: tokenResponse.accessToken,
    agentId: config.clientId,
    act,
    delegation,
    audience: adapter.actAudience,
  });
  return tokenResponse.withActAssertion(actAssertion);
}
