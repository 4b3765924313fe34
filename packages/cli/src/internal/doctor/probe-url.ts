import { classifyNetworkFailure, type NetworkFailureKind } from '../network-failure.ts';

/** Why a URL gave no HTTP answer. */
export interface UrlProbeFailure {
  readonly ok: false;
  readonly kind: NetworkFailureKind;
  /** The failure, named (an error code, never a body). */
  readonly reason: string;
}

/** The URL answered HTTP with this status (any status: reachable is all that is asked). */
export interface UrlProbeAnswer {
  readonly ok: true;
  readonly status: number;
}

/**
 * Sends one HEAD request (no credentials, redirects not followed) and reports whether anything
 * answered HTTP within the timeout.
 */
export async function probeUrl(url: string, timeoutMs = 3_000): Promise<UrlProbeAnswer | UrlProbeFailure> {
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { ok: true, status: response.status };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      return { ok: false, kind: 'timeout', reason: `no answer within ${timeoutMs} ms` };
    return { ok: false, ...classifyNetworkFailure(error) };
  }
}
