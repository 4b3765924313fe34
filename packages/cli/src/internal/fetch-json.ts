import { readLimitedText } from '@dual-auth/core/oauth';
import { classifyNetworkFailure, type NetworkFailureKind } from './network-failure.ts';

/** Why a JSON document could not be fetched. */
export class FetchJsonError extends Error {
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Why no HTTP answer came, when none did. */
  readonly failure: NetworkFailureKind | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown; failure?: NetworkFailureKind }) {
    super(message, options);
    this.name = 'FetchJsonError';
    this.status = status;
    this.failure = options?.failure;
  }
}

const maximumBytes = 262_144;

/** GETs a JSON object with a timeout and a size limit; the message names the failure, never a body. */
export async function fetchJson(url: string, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const failure =
      (error as Error).name === 'TimeoutError'
        ? { kind: 'timeout' as const, reason: `no answer within ${timeoutMs} ms` }
        : classifyNetworkFailure(error);
    throw new FetchJsonError(`cannot reach ${url}: ${failure.reason}`, undefined, {
      cause: error,
      failure: failure.kind,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchJsonError(`${url} answered HTTP ${response.status}`, response.status);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readLimitedText(response, maximumBytes));
  } catch (error) {
    throw new FetchJsonError(
      `${url} did not answer a JSON document (${(error as Error).message})`,
      response.status,
      {
        cause: error,
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FetchJsonError(`${url} did not answer a JSON object`, response.status);
  }
  return parsed as Record<string, unknown>;
}
