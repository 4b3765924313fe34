import { ConfigurationError } from './errors.ts';

/**
 * How strict {@link checkUrlPolicy} is.
 *
 * @example
 * ```ts
 * checkUrlPolicy('http://127.0.0.1:8080/token', { allowInsecureLoopback: true }); // ok: loopback, opted in
 * ```
 */
export interface UrlPolicyOptions {
  /**
   * Accept `http:` when the host is loopback (`localhost`, `127.0.0.0/8`, `::1`). For tests and
   * local demos only; the default is `false`, and non-loopback `http:` is never accepted. Pass it
   * (`false` included) wherever the caller honours `DUAL_AUTH_ALLOW_INSECURE_LOOPBACK`: a refusal
   * then names that setting; left out, the refusal says there is no opt-in for this URL.
   */
  readonly allowInsecureLoopback?: boolean;
}

/**
 * The outcome of {@link checkUrlPolicy}: the parsed URL, or the reason it is refused.
 *
 * @example
 * ```ts
 * const result: UrlPolicyResult = checkUrlPolicy(url);
 * if (!result.ok) console.error(result.problem);
 * ```
 */
export type UrlPolicyResult =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether a URL hostname is a loopback address: the literal `localhost`, `127.0.0.0/8` or `[::1]`.
 * Subdomains of `localhost` are not accepted: whether they resolve to loopback depends on the
 * resolver, and a name that can reach the network must not pass as loopback.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:8080').hostname); // true
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}

/**
 * The one setting that allows `http:` on a loopback host: the environment variable `getConfig()`
 * reads into `config.allowInsecureLoopback`, which every entry point given the config honours.
 *
 * @example
 * ```ts
 * const allowed = process.env[INSECURE_LOOPBACK_SETTING] === 'true';
 * ```
 */
export const INSECURE_LOOPBACK_SETTING = 'DUAL_AUTH_ALLOW_INSECURE_LOOPBACK';

// Both refusals name the setting, so the fix is in the message wherever it surfaces.
const loopbackRefusal = `is refused: https is required; for loopback tests set ${INSECURE_LOOPBACK_SETTING}=true (or allowInsecureLoopback: true)`;
const loopbackUnsupported = 'is refused: https is required (this URL has no insecure-loopback opt-in)';
const remoteHttpRefusal = `must use https, not http: http is accepted only on a loopback host (localhost, 127.0.0.0/8, [::1]) with ${INSECURE_LOOPBACK_SETTING}=true, never on another host`;

/**
 * Checks a URL against dual-auth's transport policy: it must parse, use `https:` (or `http:` on a
 * loopback host with the explicit opt-in), and carry no user name or password. Returns a result
 * instead of throwing, so each caller raises its own typed error.
 *
 * @example
 * ```ts
 * const result = checkUrlPolicy(apiUrl, { allowInsecureLoopback: false });
 * if (!result.ok) throw new ApiCallError(`API URL ${result.problem}`);
 * ```
 */
export function checkUrlPolicy(value: string | URL, options: UrlPolicyOptions = {}): UrlPolicyResult {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: 'is not an absolute URL' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'must not contain a user name or password' };
  }
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    if (options.allowInsecureLoopback === true) return { ok: true, url };
    return {
      ok: false,
      problem: typeof options.allowInsecureLoopback === 'boolean' ? loopbackRefusal : loopbackUnsupported,
    };
  }
  if (url.protocol === 'http:') return { ok: false, problem: remoteHttpRefusal };
  return { ok: false, problem: `must use https, not ${url.protocol.replace(':', '')}` };
}

/**
 * {@link checkUrlPolicy} for configuration: returns the URL or throws a {@link ConfigurationError}
 * naming the setting (never echoing its value, which may hold a token in its query string).
 *
 * @example
 * ```ts
 * const tokenUrl = requireSecureUrl(env.KEYCLOAK_TOKEN_URL ?? '', 'KEYCLOAK_TOKEN_URL');
 * ```
 */
export function requireSecureUrl(value: string | URL, setting: string, options: UrlPolicyOptions = {}): URL {
  const result = checkUrlPolicy(value, options);
  if (result.ok) return result.url;
  throw new ConfigurationError(`${setting} ${result.problem}.`, { setting });
}
