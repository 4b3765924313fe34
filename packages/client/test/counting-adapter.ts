import { type IdpAdapter, TokenRequestError, type TokenRequestParams, TokenResponse } from '@dual-auth/core';

/**
 * An `IdpAdapter` written in the test, as any consumer of the contract could: it counts calls,
 * remembers their parameters, and answers after `delayMs` with a token naming agent and human,
 * or fails when told to. It is the adapter side of the contract, not a fake of the code under test.
 */
export function createCountingAdapter(
  options: { delayMs?: number; expiresIn?: number; now?: () => number } = {},
) {
  const calls: TokenRequestParams[] = [];
  const state = { failNext: 0 };
  const adapter: IdpAdapter = {
    vendor: 'keycloak',
    tokenEndpoint: 'https://127.0.0.1/realms/test/protocol/openid-connect/token',
    audience: 'https://api.example.com',
    mode: 'agbac',
    async requestToken(params) {
      calls.push(params);
      const number = calls.length;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
      if (state.failNext > 0) {
        state.failNext--;
        throw new TokenRequestError('IdP refused the token request', {
          status: 400,
          oauthError: 'invalid_client',
        });
      }
      return new TokenResponse({
        accessToken: `token-${number}-${params.agentId}-${params.act.sub}`,
        tokenType: 'Bearer',
        expiresIn: options.expiresIn ?? 300,
        receivedAt: (options.now ?? Date.now)(),
        scope: params.scope ?? [],
      });
    },
  };
  return { adapter, calls, state };
}
