import { type Agent as HttpAgent, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One request as node-vault hands it to its transport (the request-promise shape). */
export interface VaultHttpRequest {
  readonly method: string;
  readonly uri: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The JSON body of a write; `true` or absent for none. */
  readonly json?: unknown;
  /** Longest the whole exchange may take, ms. */
  readonly timeout?: number;
  readonly httpAgent?: HttpAgent;
  readonly httpsAgent?: HttpsAgent;
  /** Aborts the request (the socket is closed), as the caching backend does at its timeout. */
  readonly signal?: AbortSignal;
}

/** What node-vault expects back from its transport. */
export interface VaultHttpResponse {
  readonly statusCode: number;
  readonly body: unknown;
  readonly request: { readonly path: string };
}

/** Largest Vault answer read, bytes. */
export const MAXIMUM_VAULT_RESPONSE_BYTES = 1024 * 1024;

const codedError = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * node-vault's HTTP transport on `node:http(s)`: the backend's agent (and so its CA), a timeout
 * on the whole exchange, and an abort signal, which node-vault's own transport does not pass on.
 * Errors carry only a message and a code (ECONNREFUSED, ETIMEDOUT…), never the request headers,
 * which hold the Vault token.
 */
export function vaultHttpRequest(options: VaultHttpRequest): Promise<VaultHttpResponse> {
  const url = new URL(options.uri);
  const secure = url.protocol === 'https:';
  const body =
    typeof options.json === 'object' && options.json !== null ? JSON.stringify(options.json) : undefined;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: options.method,
      headers: {
        accept: 'application/json',
        ...options.headers,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
      },
      ...(secure
        ? options.httpsAgent === undefined
          ? {}
          : { agent: options.httpsAgent }
        : options.httpAgent === undefined
          ? {}
          : { agent: options.httpAgent }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(
            () => request.destroy(codedError('Vault did not answer in time', 'ETIMEDOUT')),
            options.timeout,
          );
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error);
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAXIMUM_VAULT_RESPONSE_BYTES)
          request.destroy(codedError('the Vault answer is too large', 'ERR_RESPONSE_TOO_LARGE'));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          parsed = text;
        }
        resolve({ statusCode: response.statusCode ?? 0, body: parsed, request: { path: url.pathname } });
      });
    });
    request.end(body);
  });
}

/** The `request-promise` stand-in node-vault takes: its `defaults()` answers the transport. */
export const vaultRequestPromise = Object.freeze({
  defaults: () => vaultHttpRequest,
});
