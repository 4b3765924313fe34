import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VendorEmulation } from './vendor-emulation.ts';

type GarbleKind = 'not-json' | 'truncated-json' | 'wrong-content-type' | 'oversized' | 'missing-token';

/** The run-time fault state of one profile's token endpoint. */
export class FaultSwitches {
  readonly #emulation: Pick<VendorEmulation, 'rateLimitResponse'>;
  delayMs = 0;
  #failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  #rateLimits: { remaining: number; waitSeconds: number } = { remaining: 0, waitSeconds: 1 };
  #drops = 0;
  #garbles: { remaining: number; kind: GarbleKind } = { remaining: 0, kind: 'not-json' };

  /** The switches of one profile, whose 429 is its vendor's. */
  constructor(emulation: Pick<VendorEmulation, 'rateLimitResponse'>) {
    this.#emulation = emulation;
  }

  failNext(count: number, status = 503): void {
    if (status < 500 || status > 599) throw new TypeError('failNext takes a 5xx status');
    this.#failures = { remaining: count, status };
  }

  rateLimitNext(count: number, waitSeconds = 1): void {
    this.#rateLimits = { remaining: count, waitSeconds };
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
  intercept(request: IncomingMessage, response: ServerResponse): boolean {
    if (this.#drops > 0) {
      this.#drops--;
      request.socket.destroy();
      return true;
    }
    if (this.#rateLimits.remaining > 0) {
      this.#rateLimits.remaining--;
      const { status, headers, body } = this.#emulation.rateLimitResponse(
        this.#rateLimits.waitSeconds,
        Date.now(),
      );
      response.writeHead(status, headers).end(body);
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
