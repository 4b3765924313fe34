import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Vendor } from '@dual-auth/core';

type GarbleKind = 'not-json' | 'truncated-json' | 'wrong-content-type' | 'oversized' | 'missing-token';

/** The run-time fault state of one profile's token endpoint. */
export class FaultSwitches {
  delayMs = 0;
  #failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  #rateLimits: { remaining: number; retryAfterSeconds: number } = { remaining: 0, retryAfterSeconds: 1 };
  #drops = 0;
  #garbles: { remaining: number; kind: GarbleKind } = { remaining: 0, kind: 'not-json' };

  failNext(count: number, status = 503): void {
    if (status < 500 || status > 599) throw new TypeError('failNext takes a 5xx status');
    this.#failures = { remaining: count, status };
  }

  rateLimitNext(count: number, retryAfterSeconds = 1): void {
    this.#rateLimits = { remaining: count, retryAfterSeconds };
  }

  dropNext(count: number): void {
    this.#drops = count;
  }

  garbleNext(count: number, kind: GarbleKind): void {
    this.#garbles = { remaining: count, kind };
  }

  reset(): void {
    this.delayMs = 0;
    this.#failures.remaining = 0;
    this.#rateLimits.remaining = 0;
    this.#drops = 0;
    this.#garbles.remaining = 0;
  }

  /** Answers the request with the next pending fault; returns whether it did. */
  intercept(vendor: Vendor, request: IncomingMessage, response: ServerResponse): boolean {
    if (this.#drops > 0) {
      this.#drops--;
      request.socket.destroy();
      return true;
    }
    if (this.#rateLimits.remaining > 0) {
      this.#rateLimits.remaining--;
      const reset = Math.floor(Date.now() / 1000) + this.#rateLimits.retryAfterSeconds;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'retry-after': String(this.#rateLimits.retryAfterSeconds),
      };
      if (vendor === 'auth0')
        Object.assign(headers, {
          'x-ratelimit-limit': '30',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
        });
      if (vendor === 'okta')
        Object.assign(headers, {
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(reset),
        });
      const body =
        vendor === 'okta'
          ? {
              errorCode: 'E0000047',
              errorSummary: 'API call exceeded rate limit due to too many requests.',
              errorLink: 'E0000047',
              errorId: 'oaeRateLimit',
              errorCauses: [],
            }
          : { error: 'too_many_requests', error_description: 'Global limit has been reached' };
      response.writeHead(429, headers).end(JSON.stringify(body));
      return true;
    }
    if (this.#failures.remaining > 0) {
      this.#failures.remaining--;
      response.writeHead(this.#failures.status, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: 'temporarily_unavailable',
          error_description: 'The service is temporarily unavailable',
        }),
      );
      return true;
    }
    if (this.#garbles.remaining > 0) {
      this.#garbles.remaining--;
      writeGarbage(this.#garbles.kind, response);
      return true;
    }
    return false;
  }
}

function writeGarbage(kind: GarbleKind, response: ServerResponse): void {
  switch (kind) {
    case 'not-json':
      response.writeHead(200, { 'content-type': 'application/json' }).end('<html>upstream error</html>');
      return;
    case 'truncated-json':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"eyJhbGciOi');
      return;
    case 'wrong-content-type':
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
      return;
    case 'oversized':
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: 'x'.repeat(2 * 1024 * 1024),
          token_type: 'Bearer',
          expires_in: 300,
        }),
      );
      return;
    case 'missing-token':
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token_type: 'Bearer', expires_in: 300 }));
      return;
  }
}
