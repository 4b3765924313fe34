import { InSessionAPICall } from './in-session-api-call.ts';

/**
 * Calls an API with a dual-subject token obtained out of session; the same behaviour as
 * {@link InSessionAPICall}, under the name the reference uses for remote agents.
 *
 * @example
 * ```ts
 * const api = new OutOfSessionAPICall({ timeoutSeconds: 30 });
 * const tokenResponse = await tokenRequest.requestTokenFromJwt(actJwt, { agentId, scope: ['finance.read'] });
 * const response = await api.callApi({ method: 'GET', url: process.env.API_URL, tokenResponse });
 * ```
 */
export class OutOfSessionAPICall extends InSessionAPICall {}
