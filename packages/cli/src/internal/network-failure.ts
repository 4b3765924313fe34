/** What kind of failure kept a request from getting any HTTP answer. */
export type NetworkFailureKind = 'refused' | 'timeout' | 'tls' | 'dns' | 'other';

/** A request's failure, classified: the kind, and the code (or message) naming it. */
export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  /** The innermost error code (`ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`…), else its message. */
  readonly reason: string;
}

const tlsPattern = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|ALTNAME|HANDSHAKE/i;

function innermostCode(error: unknown): { code: string | undefined; message: string } {
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

/**
 * Classifies what `fetch` threw: refused connection, DNS, TLS (an untrusted CA, a certificate for
 * another name), or anything else. A timeout is the caller's to name, since only it knows the limit.
 */
export function classifyNetworkFailure(error: unknown): NetworkFailure {
  const { code, message } = innermostCode(error);
  // The code names the failure; OpenSSL's messages are long and add nothing a user can act on.
  const reason = code ?? message;
  if (code === 'ECONNREFUSED') return { kind: 'refused', reason: 'connection refused (ECONNREFUSED)' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', reason };
  if ((code !== undefined && tlsPattern.test(code)) || tlsPattern.test(message))
    return { kind: 'tls', reason };
  return { kind: 'other', reason };
}

/** The fix for a failure of this kind, in one sentence (doctor's and verify's hints). */
export const networkFailureFixes: Readonly<Record<NetworkFailureKind, string>> = Object.freeze({
  refused:
    'nothing listens there: check the host and port, and that the service is running and reachable from this machine (firewall, proxy)',
  timeout:
    'no answer in time: check the host, and firewalls or proxies that drop the connection, or whether the service hangs',
  tls: "TLS failed: trust the server certificate's CA (--ca-file FILE or NODE_EXTRA_CA_CERTS=FILE), and check the certificate names this host and has not expired",
  dns: 'the host name does not resolve: check its spelling and DNS',
  other: 'check the URL, DNS, proxies and TLS trust',
});
