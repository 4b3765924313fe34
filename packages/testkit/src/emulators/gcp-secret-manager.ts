import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type GrpcObject,
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceClientConstructor,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { testTls } from '../tls/test-tls.ts';
import { type EmulatorReply, startLoopbackEmulatorServer } from './internal/loopback-emulator-server.ts';

/**
 * Options of {@link startGcpSecretManagerEmulator}.
 *
 * @example
 * ```ts
 * const gcp = await startGcpSecretManagerEmulator({ project: 'acme-prod' });
 * ```
 */
export interface GcpSecretManagerEmulatorOptions {
  /** The project whose secrets it holds (default `dual-auth-test`). */
  readonly project?: string;
  /** The only OAuth access token it accepts (default: a random one, see `accessToken`). */
  readonly accessToken?: string;
  /**
   * Serve TLS with the testkit certificate (default `true`). gRPC sends call credentials only
   * over TLS, so without it the access token cannot be checked.
   */
  readonly tls?: boolean;
}

/**
 * Faults a {@link GcpSecretManagerEmulator} can inject into every `AccessSecretVersion`.
 *
 * @example
 * ```ts
 * gcp.setFaults({ corruptChecksum: true });
 * ```
 */
export interface GcpEmulatorFaults {
  /** Delay before each answer, ms (default 0). */
  readonly latencyMs?: number;
  /** Answer with gRPC status 14 `UNAVAILABLE`. */
  readonly unavailable?: boolean;
  /** Answer with gRPC status 16 `UNAUTHENTICATED`, whatever the token. */
  readonly authFailure?: boolean;
  /** Send a `dataCrc32c` that does not match the payload (data corrupted in transit). */
  readonly corruptChecksum?: boolean;
  /** Send no `dataCrc32c` (as for versions created without one). */
  readonly omitChecksum?: boolean;
}

/**
 * A running GCP Secret Manager emulator: see {@link startGcpSecretManagerEmulator}.
 *
 * @example
 * ```ts
 * gcp.put('dual-auth-agent-client-id', 'finance-agent'); // version 1, now `latest`
 * gcp.rotateCredentials(); // clients holding the old token get 16 UNAUTHENTICATED
 * ```
 */
export interface GcpSecretManagerEmulator {
  /** For the client's `apiEndpoint`: `localhost` (a TLS server name cannot be an IP address). */
  readonly apiEndpoint: string;
  /** The gRPC port. */
  readonly port: number;
  /**
   * The port of the REST transport (plain HTTP, token always checked), for a client created with
   * `{ fallback: true, protocol: 'http', apiEndpoint, port: restPort }`.
   */
  readonly restPort: number;
  readonly project: string;
  /** Whether it serves TLS; clients then trust `ca`. */
  readonly tls: boolean;
  /**
   * The CA certificate (PEM) of its TLS certificate (the testkit CA). Give it to the SDK through
   * `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH` (read when gRPC loads): explicit `sslCreds` replace the SDK's
   * default credentials, and with them the access token.
   */
  readonly ca: string;

  /** The OAuth access token requests must carry (over TLS). */
  readonly accessToken: string;
  /** Adds a version holding `value` to secret `secretId` of `project`; it becomes `latest`. */
  put(secretId: string, value: string | Uint8Array): void;
  /** Deletes the secret with all its versions. */
  remove(secretId: string): void;
  /** Makes reads of `secretId` fail with 7 `PERMISSION_DENIED`. */
  deny(secretId: string): void;
  /** Accepts a new access token only (`accessToken`), so clients holding the old one get 16 `UNAUTHENTICATED`. */
  rotateCredentials(): void;
  /** Sets (replaces) the injected faults; `setFaults({})` clears them. */
  setFaults(faults: GcpEmulatorFaults): void;
  /** Shuts both transports down for good: clients see 14 `UNAVAILABLE` (connection refused). */
  makeUnreachable(): Promise<void>;
  /** Versions answered with a payload so far. */
  readonly readCount: number;
  /** `AccessSecretVersion` calls received, refused ones included. */
  readonly requestCount: number;
  close(): Promise<void>;
}

interface AccessRequest {
  readonly name?: string;
}

interface AccessFailure {
  readonly code: status;
  readonly details: string;
}

interface AccessResponse {
  readonly name: string;
  readonly payload: { readonly data: Buffer; readonly dataCrc32c?: string };
}

type Service = ServiceClientConstructor['service'];

let secretManagerService: Service | undefined;

// The service definition comes from the SDK's own .proto files, so the emulator speaks exactly
// the wire format the client expects. They are optional peer dependencies of the testkit.
function loadSecretManagerService(): Service {
  if (secretManagerService !== undefined) return secretManagerService;
  const require = createRequire(import.meta.url);
  const sdkProtos = join(
    dirname(require.resolve('@google-cloud/secret-manager/package.json')),
    'build',
    'protos',
  );
  const gaxProtos = join(dirname(require.resolve('google-gax')), '..', 'protos');
  const definition = loadSync('google/cloud/secretmanager/v1/service.proto', {
    includeDirs: [sdkProtos, gaxProtos],
    longs: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(definition) as unknown as {
    google: {
      cloud: { secretmanager: { v1: GrpcObject & { SecretManagerService: ServiceClientConstructor } } };
    };
  };
  secretManagerService = root.google.cloud.secretmanager.v1.SecretManagerService.service;
  return secretManagerService;
}

// CRC-32C (Castagnoli), bit by bit: deliberately independent of the backend's table-driven one, so
// each checks the other.
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const versionName = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/;
const restAccessPath = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/:]+):access$/;
// How Google's REST front end answers each gRPC status.
const httpStatusOf: Readonly<Partial<Record<status, number>>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.UNAVAILABLE]: 503,
};

function restError(failure: AccessFailure): EmulatorReply {
  const code = httpStatusOf[failure.code] ?? 500;
  return { status: code, body: { error: { code, message: failure.details, status: status[failure.code] } } };
}

/**
 * Starts a GCP Secret Manager emulator on 127.0.0.1: a gRPC server built from the SDK's own
 * `service.proto`, answering `AccessSecretVersion` (`latest` or a version number) with the payload
 * and its CRC32C, checking the bearer token over TLS, with switches for the faults a backend must
 * survive (denial, bad token, 14 `UNAVAILABLE`, latency, corrupted checksum, connection refused).
 * The same service also answers on the SDK's REST transport (`fallback: true`) at `restPort`.
 *
 * @example
 * ```ts
 * const gcp = await startGcpSecretManagerEmulator();
 * gcp.put('dual-auth-agent-client-id', 'finance-agent');
 * // GRPC_DEFAULT_SSL_ROOTS_FILE_PATH names the testkit's fixtures/tls/ca.pem before gRPC loads.
 * const authClient = new googleAuthLibrary.OAuth2Client();
 * authClient.setCredentials({ access_token: gcp.accessToken, expiry_date: Date.now() + 3_600_000 });
 * const client = new SecretManagerServiceClient({ apiEndpoint: gcp.apiEndpoint, port: gcp.port, authClient });
 * ```
 */
export async function startGcpSecretManagerEmulator(
  options: GcpSecretManagerEmulatorOptions = {},
): Promise<GcpSecretManagerEmulator> {
  const project = options.project ?? 'dual-auth-test';
  const tls = options.tls ?? true;
  let accessToken = options.accessToken ?? `ya29.emulator-${randomUUID()}`;
  let faults: GcpEmulatorFaults = {};
  const secrets = new Map<string, Buffer[]>();
  const denied = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let readCount = 0;
  let requestCount = 0;

  const fail = (code: status, details: string): AccessFailure => ({ code, details });

  // Both transports: `checkToken` is off only for plain gRPC, which carries no call credentials.
  const access = (
    name: string,
    authorization: unknown,
    checkToken: boolean,
  ): { response: AccessResponse } | AccessFailure => {
    if (faults.unavailable) return fail(status.UNAVAILABLE, 'The service is currently unavailable.');
    if (faults.authFailure || (checkToken && authorization !== `Bearer ${accessToken}`)) {
      return fail(status.UNAUTHENTICATED, 'Request had invalid authentication credentials.');
    }
    const match = versionName.exec(name);
    if (match === null) return fail(status.INVALID_ARGUMENT, 'name must be projects/*/secrets/*/versions/*.');
    const [, requestProject = '', secretId = '', version = ''] = match;
    if (denied.has(secretId)) {
      return fail(
        status.PERMISSION_DENIED,
        "Permission 'secretmanager.versions.access' denied for resource (or it may not exist).",
      );
    }
    const versions = requestProject === project ? secrets.get(secretId) : undefined;
    const index = version === 'latest' ? (versions?.length ?? 0) - 1 : Number(version) - 1;
    const data = Number.isInteger(index) && index >= 0 ? versions?.[index] : undefined;
    if (versions === undefined || data === undefined) {
      return fail(status.NOT_FOUND, `Secret Version [${name}] not found.`);
    }
    readCount++;
    const checksum = crc32c(data) ^ (faults.corruptChecksum ? 1 : 0);
    return {
      response: {
        name: `projects/${project}/secrets/${secretId}/versions/${index + 1}`,
        payload: { data, ...(faults.omitChecksum ? {} : { dataCrc32c: String(checksum >>> 0) }) },
      },
    };
  };

  const server = new Server();
  server.addService(loadSecretManagerService(), {
    AccessSecretVersion(
      call: ServerUnaryCall<AccessRequest, AccessResponse>,
      callback: sendUnaryData<AccessResponse>,
    ) {
      requestCount++;
      const answer = () => {
        const result = access(call.request.name ?? '', call.metadata.get('authorization')[0], tls);
        if ('response' in result) callback(null, result.response);
        else callback(Object.assign(new Error(result.details), result));
      };
      const latency = faults.latencyMs ?? 0;
      if (latency <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, latency);
      timers.add(timer);
    },
  });
  const credentials = tls
    ? ServerCredentials.createSsl(null, [
        { cert_chain: Buffer.from(testTls().cert), private_key: Buffer.from(testTls().key) },
      ])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, boundPort) =>
      error === null ? resolve(boundPort) : reject(error),
    );
  });
  const rest = await startLoopbackEmulatorServer({
    tls: false,
    unavailableReply: restError(fail(status.UNAVAILABLE, 'The service is currently unavailable.')),
    handle: (request) => {
      const match = request.method === 'GET' ? restAccessPath.exec(request.url.pathname) : null;
      if (match === null) return undefined;
      requestCount++;
      const result = access(decodeURIComponent(match[1] ?? ''), request.headers.authorization, true);
      if (!('response' in result)) return restError(result);
      const { name, payload } = result.response;
      return {
        status: 200,
        body: { name, payload: { ...payload, data: payload.data.toString('base64') } },
      };
    },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    server.forceShutdown();
    await rest.close();
  };

  return {
    apiEndpoint: 'localhost',
    port,
    restPort: rest.port,
    project,
    tls,
    ca: testTls().ca,
    get accessToken() {
      return accessToken;
    },
    put(secretId, value) {
      const versions = secrets.get(secretId) ?? [];
      versions.push(Buffer.from(typeof value === 'string' ? new TextEncoder().encode(value) : value));
      secrets.set(secretId, versions);
    },
    remove(secretId) {
      secrets.delete(secretId);
    },
    deny(secretId) {
      denied.add(secretId);
    },
    rotateCredentials() {
      accessToken = `ya29.emulator-${randomUUID()}`;
    },
    setFaults(next) {
      faults = { ...next };
      rest.faults.latencyMs = next.latencyMs ?? 0;
    },
    makeUnreachable: stop,
    get readCount() {
      return readCount;
    },
    get requestCount() {
      return requestCount;
    },
    close: stop,
  };
}
