import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type EmulatorReply,
  type EmulatorRequest,
  startLoopbackEmulatorServer,
} from './internal/loopback-emulator-server.ts';

/**
 * AWS credentials as the SDK takes them.
 *
 * @example
 * ```ts
 * const credentials: AwsEmulatorCredentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'test-only' };
 * ```
 */
export interface AwsEmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Options of {@link startAwsSecretsManagerEmulator}.
 *
 * @example
 * ```ts
 * const aws = await startAwsSecretsManagerEmulator({ region: 'eu-west-1' });
 * ```
 */
export interface AwsSecretsManagerEmulatorOptions {
  /** Region the emulator answers for; a request signed for another region is refused (default `us-east-1`). */
  readonly region?: string;
  /** The only credentials it accepts (default: random ones, see `credentials`). */
  readonly credentials?: AwsEmulatorCredentials;
}

/**
 * Faults an {@link AwsSecretsManagerEmulator} can inject into every `GetSecretValue`.
 *
 * @example
 * ```ts
 * aws.setFaults({ latencyMs: 2_000, authFailure: 'ExpiredTokenException' });
 * ```
 */
export interface AwsEmulatorFaults {
  /** Delay before each answer, ms (default 0). */
  readonly latencyMs?: number;
  /** Answer every request with this authentication error (e.g. `ExpiredTokenException`). */
  readonly authFailure?:
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException'
    | 'ExpiredTokenException';
  /** Answer every request with HTTP 503 `ServiceUnavailable`. */
  readonly unavailable?: boolean;
  /** Answer every request with HTTP 400 `ThrottlingException` (which the SDK retries). */
  readonly throttling?: boolean;
}

/**
 * A running AWS Secrets Manager emulator: see {@link startAwsSecretsManagerEmulator}.
 *
 * @example
 * ```ts
 * aws.put('dual-auth/AGENT_CLIENT_SECRET', 'value');
 * aws.deny('dual-auth/AGENT_CLIENT_SECRET');
 * expect(aws.readCount).toBe(0);
 * ```
 */
export interface AwsSecretsManagerEmulator {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  readonly region: string;
  /** The credentials requests must be signed with (changed by `rotateCredentials`). */
  readonly credentials: AwsEmulatorCredentials;
  /** Stores a secret: text becomes `SecretString`, bytes `SecretBinary`. */
  put(secretName: string, value: string | Uint8Array): void;
  remove(secretName: string): void;
  /** Makes reads of `secretName` fail with `AccessDeniedException`. */
  deny(secretName: string): void;
  /** Replaces the accepted credentials, so clients holding the old ones get `UnrecognizedClientException`. */
  rotateCredentials(): void;
  /** Sets (replaces) the injected faults; `setFaults({})` clears them. */
  setFaults(faults: AwsEmulatorFaults): void;
  /** Stops listening for good: clients get connection refused. */
  makeUnreachable(): Promise<void>;
  /** `GetSecretValue` requests answered with a secret so far. */
  readonly readCount: number;
  /** Requests answered by the operation (not by the `unavailable` fault), refused ones included. */
  readonly requestCount: number;
  close(): Promise<void>;
}

const randomCredentials = (): AwsEmulatorCredentials => ({
  accessKeyId: `AKIAEMULATOR${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
  secretAccessKey: randomUUID() + randomUUID(),
});

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scope: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (match === null) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] =
    match;
  return {
    accessKeyId,
    scope: `${date}/${region}/${service}/aws4_request`,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

// Signature Version 4, recomputed from the request exactly as AWS does, so that a request signed
// with the wrong secret key fails here as it would at AWS.
function expectedSignature(
  request: EmulatorRequest,
  body: string,
  auth: ParsedAuthorization,
  secretAccessKey: string,
): string {
  const query = [...request.url.searchParams]
    .map(([name, value]) => [encodeURIComponent(name), encodeURIComponent(value)])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const headers = auth.signedHeaders
    .map((name) => {
      const raw = request.headers[name];
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = (request.headers['x-amz-content-sha256'] as string | undefined) ?? sha256Hex(body);
  const canonicalRequest = [
    request.method,
    request.url.pathname,
    query,
    headers,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, auth.scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service),
    'aws4_request',
  );
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

interface StoredSecret {
  readonly value: string | Uint8Array;
  readonly versionId: string;
  readonly createdDate: number;
}

const jsonType = { 'content-type': 'application/x-amz-json-1.1' };
const awsError = (status: number, type: string, message: string): EmulatorReply => ({
  status,
  headers: { ...jsonType, 'x-amzn-requestid': randomUUID() },
  body: { __type: type, message },
});

/**
 * Starts an AWS Secrets Manager emulator on 127.0.0.1: the AWS JSON 1.1 `GetSecretValue` operation,
 * with Signature Version 4 checked against its credentials, and switches for the faults a backend
 * must survive (denial, unknown or expired credentials, throttling, latency, 503, connection
 * refused). Point the real `SecretsManagerClient` at `endpoint`.
 *
 * @example
 * ```ts
 * const aws = await startAwsSecretsManagerEmulator();
 * aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
 * const client = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
 * await aws.close();
 * ```
 */
export async function startAwsSecretsManagerEmulator(
  options: AwsSecretsManagerEmulatorOptions = {},
): Promise<AwsSecretsManagerEmulator> {
  const region = options.region ?? 'us-east-1';
  let credentials = options.credentials ?? randomCredentials();
  let faults: AwsEmulatorFaults = {};
  const secrets = new Map<string, StoredSecret>();
  const denied = new Set<string>();
  let readCount = 0;
  let requestCount = 0;

  const getSecretValue = (request: EmulatorRequest): EmulatorReply => {
    if (faults.authFailure !== undefined) {
      return awsError(400, faults.authFailure, 'The request was refused by the emulator fault switch.');
    }
    if (faults.throttling) return awsError(400, 'ThrottlingException', 'Rate exceeded.');
    const auth = parseAuthorization(request.headers.authorization);
    if (auth === undefined) {
      return awsError(400, 'IncompleteSignatureException', 'Authorization header is not AWS4-HMAC-SHA256.');
    }
    if (!sameText(auth.accessKeyId, credentials.accessKeyId)) {
      return awsError(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (auth.region !== region || auth.service !== 'secretsmanager') {
      return awsError(400, 'InvalidSignatureException', 'Credential should be scoped to a valid region.');
    }
    if (
      !sameText(auth.signature, expectedSignature(request, request.body, auth, credentials.secretAccessKey))
    ) {
      return awsError(
        400,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (request.method !== 'POST' || request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      return awsError(400, 'UnknownOperationException', 'Only GetSecretValue is emulated.');
    }
    let secretId: unknown;
    try {
      secretId = (JSON.parse(request.body) as { SecretId?: unknown }).SecretId;
    } catch {
      return awsError(400, 'SerializationException', 'The body is not JSON.');
    }
    if (typeof secretId !== 'string' || secretId === '') {
      return awsError(400, 'InvalidParameterException', 'SecretId is required.');
    }
    if (denied.has(secretId)) {
      return awsError(
        400,
        'AccessDeniedException',
        'User is not authorized to perform: secretsmanager:GetSecretValue',
      );
    }
    const secret = secrets.get(secretId);
    if (secret === undefined) {
      return awsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    readCount++;
    const value =
      typeof secret.value === 'string'
        ? { SecretString: secret.value }
        : { SecretBinary: Buffer.from(secret.value).toString('base64') };
    return {
      status: 200,
      headers: jsonType,
      body: {
        ARN: `arn:aws:secretsmanager:${region}:000000000000:secret:${secretId}-AbCdEf`,
        Name: secretId,
        VersionId: secret.versionId,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdDate,
        ...value,
      },
    };
  };

  const server = await startLoopbackEmulatorServer({
    tls: false,
    unavailableReply: awsError(503, 'ServiceUnavailable', 'Service unavailable.'),
    handle: (request) => {
      requestCount++;
      return getSecretValue(request);
    },
  });

  return {
    endpoint: server.url,
    region,
    get credentials() {
      return credentials;
    },
    put(secretName, value) {
      secrets.set(secretName, {
        value,
        versionId: randomUUID(),
        createdDate: Math.floor(Date.now() / 1000),
      });
    },
    remove(secretName) {
      secrets.delete(secretName);
    },
    deny(secretName) {
      denied.add(secretName);
    },
    rotateCredentials() {
      credentials = randomCredentials();
    },
    setFaults(next) {
      faults = { ...next };
      server.faults.latencyMs = next.latencyMs ?? 0;
      server.faults.mode = next.unavailable ? 'unavailable' : 'none';
    },
    makeUnreachable: () => server.close(),
    get readCount() {
      return readCount;
    },
    get requestCount() {
      return requestCount;
    },
    close: () => server.close(),
  };
}
