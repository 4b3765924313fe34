/** Why a URL gave no HTTP answer. */
export interface UrlProbeFailure {
  readonly ok: false;
  readonly kind: 'refused' | 'timeout' | 'tls' | 'dns' | 'other';
  /** The failure, named (an error code, never a body). */
  readonly reason: string;
}

/** The URL answered HTTP with this status (any status: reachable is all that is asked). */
export interface UrlProbeAnswer {
  readonly ok: true;
  readonly status: number;
}

function causeCode(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  let message = String(error);
  // fetch wraps the socket error (sometimes twice): the innermost coded cause names it.
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    message = current.message;
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return { code, message };
    current = (current as { cause?: unknown }).cause;
  }
  return { code: undefined, message };
}

const tlsPattern = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|ALTNAME|HANDSHAKE/i;

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
    const { code, message } = causeCode(error);
    // The code names the failure; OpenSSL's messages are long and add nothing a user can act on.
    const reason = code ?? message;
    if (code === 'ECONNREFUSED')
      return { ok: false, kind: 'refused', reason: 'connection refused (ECONNREFUSED)' };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { ok: false, kind: 'dns', reason };
    if ((code !== undefined && tlsPattern.test(code)) || tlsPattern.test(message))
      return { ok: false, kind: 'tls', reason };
    return { ok: false, kind: 'other', reason };
  }
}
