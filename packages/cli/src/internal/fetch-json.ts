import { readLimitedText } from '@dual-auth/core';

/** Why a JSON document could not be fetched. */
export class FetchJsonError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchJsonError';
    this.status = status;
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
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new FetchJsonError(`cannot reach ${url}: ${reason}`, undefined, { cause: error });
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
