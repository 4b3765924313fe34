import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/**
 * A CA, and a server certificate it signed for `127.0.0.1`, `::1` and `localhost`. Test use only.
 *
 * @example
 * ```ts
 * const { ca, cert, key }: TestTlsMaterial = testTls();
 * const server = https.createServer({ cert, key }, handler); // clients trust `ca`
 * ```
 */
export interface TestTlsMaterial {
  /** The CA certificate (PEM) that clients must trust. */
  readonly ca: string;
  /** The server certificate (PEM). */
  readonly cert: string;
  /** The server's private key (PEM, P-256). */
  readonly key: string;
}

let material: TestTlsMaterial | undefined;

/**
 * The testkit's fixed test TLS material (valid until 2126, so tests never break on expiry). The
 * key is public in this package: use it for loopback test servers only.
 *
 * @example
 * ```ts
 * const { cert, key, ca } = testTls();
 * const server = https.createServer({ cert, key }, handler);
 * const agent = new https.Agent({ ca });
 * ```
 */
export function testTls(): TestTlsMaterial {
  if (material === undefined) {
    const read = (name: string) =>
      readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8');
    material = Object.freeze({ ca: read('ca.pem'), cert: read('server.pem'), key: read('server-key.pem') });
  }
  return material;
}

/**
 * Makes this process's default TLS trust (global `fetch`, `https`) accept the test CA in addition
 * to the system roots. Returns a function that restores the previous trust for new connections
 * (connections already pooled by `fetch` keep theirs).
 *
 * @example
 * ```ts
 * const untrust = trustTestCa();
 * await fetch(`https://127.0.0.1:${port}/`); // verifies against the test CA
 * untrust();
 * ```
 */
export function trustTestCa(): () => void {
  const previous = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...previous, testTls().ca]);
  return () => tls.setDefaultCACertificates(previous);
}
