// The AWS backend against moto's server (PyPI moto[server], pinned in
// tools/provision/python-requirements.txt), through the real AWS SDK: a second, independent
// implementation of the Secrets Manager API beside the testkit's emulator.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { describeSecretsBackend, expectSecretsBackendError } from '@dual-auth/testkit/conformance';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsSecretsBackend } from '../src/index.ts';
import { type MotoCredentials, type MotoServer, startMotoServer } from './moto-server.ts';

const region = 'us-east-1';
const readerName = 'dual-auth-reader';
const allow = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
});

// One server for the file; a case that makes it unreachable stops it, and the next one starts anew.
let moto: MotoServer | undefined;
async function freshMoto(): Promise<MotoServer> {
  if (!moto?.running) moto = await startMotoServer();
  await moto.reset();
  return moto;
}
afterAll(() => moto?.stop());

/**
 * Moto with IAM authentication on: an admin user for the harness's writes, and a reader allowed
 * only secretsmanager:GetSecretValue, whose keys the backend signs with.
 */
async function authenticatedMoto() {
  const server = await freshMoto();
  const admin = await server.createUser('harness-admin', allow('*'));
  const reader = await server.createUser(readerName, allow('secretsmanager:GetSecretValue'));
  await server.setAuthentication(true);
  return { server, admin, reader };
}

function clientFor(server: MotoServer, credentials: MotoCredentials, maxAttempts = 1) {
  return new SecretsManagerClient({ region, endpoint: server.endpoint, credentials, maxAttempts });
}

async function putSecret(client: SecretsManagerClient, name: string, value: string) {
  try {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceExistsException') throw error;
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }
}

describeSecretsBackend('aws', async () => {
  const { server, admin, reader } = await authenticatedMoto();
  const adminClient = clientFor(server, admin);
  const readerClient = clientFor(server, reader, 2);
  let reads = 0;
  readerClient.middlewareStack.add(
    (next) => async (args) => {
      reads++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countMotoReads' },
  );
  const backend = createAwsSecretsBackend({ client: readerClient, region, timeoutMs: 5_000 });
  const nameOf = (key: string) => backend.secretNameFor(key);
  return {
    backend,
    put: (key, value) => putSecret(adminClient, nameOf(key), value),
    remove: async (key) => {
      await adminClient.send(
        new DeleteSecretCommand({ SecretId: nameOf(key), ForceDeleteWithoutRecovery: true }),
      );
    },
    // Moto checks identity policies of secretsmanager actions against the resource "*" only
    // (moto/core/responses.py calls _authenticate_and_authorize_normal_action without a resource
    // unless a service defines _determine_resource, which secretsmanager does not), so the deny
    // names every secret.
    deny: async () => {
      await server.iam('PutUserPolicy', {
        UserName: readerName,
        PolicyName: 'deny-reads',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      });
    },
    breakAuthentication: async () => {
      await server.iam('DeleteAccessKey', { UserName: readerName, AccessKeyId: reader.accessKeyId });
    },
    makeUnreachable: () => server.stop(),
    readCount: () => reads,
    cannot: {
      makeSlow: "moto's server has no latency control (the emulator run covers the timeout)",
    },
    close: async () => {
      adminClient.destroy();
      readerClient.destroy();
    },
  };
});

describe('aws secrets backend against moto with IAM authentication', () => {
  let server: MotoServer;
  let admin: MotoCredentials;
  let reader: MotoCredentials;
  let clients: SecretsManagerClient[];
  beforeEach(async () => {
    ({ server, admin, reader } = await authenticatedMoto());
    clients = [];
  });
  afterEach(() => {
    for (const client of clients) client.destroy();
  });
  const backendSigningWith = (credentials: MotoCredentials) => {
    const client = clientFor(server, credentials);
    clients.push(client);
    return createAwsSecretsBackend({ client, region, timeoutMs: 5_000 });
  };
  const seed = async () => {
    const adminClient = clientFor(server, admin);
    clients.push(adminClient);
    await putSecret(adminClient, 'dual-auth/AGENT_CLIENT_ID', 'finance-agent');
  };

  it('reads with the keys of an IAM user allowed secretsmanager:GetSecretValue', async () => {
    await seed();
    await expect(backendSigningWith(reader).getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
  });

  // Moto 5.2.5 answers an authentication or IAM refusal of every service with a Query-protocol XML
  // <ErrorResponse> (moto/core/exceptions.py: InvalidClientTokenIdError, SignatureDoesNotMatchError,
  // AccessDeniedError are _RESTError), where Secrets Manager, a JSON-protocol service, answers JSON
  // with `__type` (UnrecognizedClientException, InvalidSignatureException, AccessDeniedException).
  // The SDK cannot parse the XML, so the error's class is lost, but the HTTP status stays: the
  // backend fails closed with a typed error naming the secret and calling it a refusal. The exact
  // classification by class is pinned against the emulator.
  const refusals: ReadonlyArray<[string, () => Promise<MotoCredentials>]> = [
    ['keys moto does not know', async () => ({ accessKeyId: 'AKIANOTKNOWNTOMOTO00', secretAccessKey: 'x' })],
    ['a wrong secret key', async () => ({ accessKeyId: reader.accessKeyId, secretAccessKey: 'wrong-key' })],
    [
      'a user without GetSecretValue',
      () => server.createUser('stranger', allow('secretsmanager:ListSecrets')),
    ],
  ];
  it.each(refusals)(
    'fails closed on a refusal for %s, naming the secret, never its value',
    async (_label, keys) => {
      await seed();
      const error = await expectSecretsBackendError(
        backendSigningWith(await keys()).getSecret('AGENT_CLIENT_ID'),
        'aws',
        'dual-auth/AGENT_CLIENT_ID',
      );
      expect(error.message).toBe(
        'aws secrets backend: the service refused the request (HTTP 403, SyntaxError): check the AWS credentials and region, and that the caller may secretsmanager:GetSecretValue on the secret, reading "dual-auth/AGENT_CLIENT_ID".',
      );
      expect(JSON.stringify(error)).not.toContain('finance-agent');
    },
  );
});
