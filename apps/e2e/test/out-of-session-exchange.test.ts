// Rule 3 of docs/token-exchange.md ("How the human's token reaches a remote agent"), end to end on
// loopback HTTPS: the application signs an act JWT for the agent endpoint and sends alice's access
// token beside it in the X-Subject-Token header (HybridSender.prepareOutOfSessionHandOff); the
// remote agent reads the header into a Secret at once and checks it (createSubjectTokenReceiver:
// a JWT for this agent, short-lived, naming the act JWT's human), verifies the act JWT, exchanges
// the token at the embedded IdP's Keycloak profile (standard token exchange) with its token cache,
// and calls the API, whose rfc8693 verifier reads the exchanged token. The subject token never
// reaches a log line, an error, an audit event or a response.
import { generateKeyPairSync } from 'node:crypto';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import {
  createMemoryReplayStore,
  createSubjectTokenReceiver,
  createTokenCache,
  OutOfSessionTokenRequest,
} from '@dual-auth/client';
import { type AuditEvent, isDualAuthError, Secret } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { keycloakExchangeWebClients, requestKeycloakHumanToken } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  agentNamed,
  apiVerifier,
  capturingLogger,
  configFor,
  type HttpsServer,
  humanNamed,
  leakedCanaries,
  readBody,
  routeRequirements,
  sendJson,
  startHttpsServer,
  views,
} from './harness.ts';

const appKeyPem = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const { logger, lines } = capturingLogger();
const audit: AuditEvent[] = [];
const errors: unknown[] = [];
const answers: string[] = [];

const idp = useEmbeddedIdp({ vendors: ['keycloak'], webClients: keycloakExchangeWebClients() });
let sender: HybridSender;
let app: HttpsServer;
let agent: HttpsServer;
let exchanges = 0;

beforeAll(async () => {
  sender = await HybridSender.create({ privateKey: appKeyPem, appId: APP_ID, logger });
  app = await startHttpsServer(async (_request, response) =>
    sendJson(response, 200, await sender.publicJwks()),
  );
  const profile = idp.profile('keycloak');
  const adapter = new KeycloakAdapter(configFor(profile, agentNamed(profile, 'finance-agent')), {
    mode: 'exchange',
    retry: { limit: 0 },
    logger,
  });
  const counted = {
    vendor: adapter.vendor,
    tokenEndpoint: adapter.tokenEndpoint,
    audience: adapter.audience,
    mode: adapter.mode,
    requestToken: (params: Parameters<typeof adapter.requestToken>[0]) => {
      exchanges++;
      return adapter.requestToken(params);
    },
  };
  const verifier = apiVerifier({
    profile,
    layout: 'rfc8693',
    onBehalfOfAgents: ['finance-agent'],
    logger,
    audit: (event) => void audit.push(event),
  });
  const receiveSubjectToken = createSubjectTokenReceiver({
    audience: 'finance-agent',
    maxLifetimeSeconds: 300,
  });
  let tokenRequest: OutOfSessionTokenRequest | undefined;
  agent = await startHttpsServer(async (request, response) => {
    tokenRequest ??= new OutOfSessionTokenRequest({
      adapter: counted,
      cache: createTokenCache({ logger }),
      jwksUri: `${app.url}/jwks.json`,
      issuer: APP_ID,
      audience: `${agent.url}/invoke`,
      replayStore: createMemoryReplayStore(),
      logger,
    });
    try {
      const { act_jwt: actJwt } = JSON.parse(await readBody(request)) as { act_jwt: string };
      const { act } = await tokenRequest.receiveAndVerifyActJwt(actJwt);
      const subjectToken = receiveSubjectToken(request.headers, act);
      const token = await tokenRequest.requestToken({ agentId: 'finance-agent', act, subjectToken });
      const decision = await verifier.verify(
        { authorization: `Bearer ${token.accessToken}` },
        { humanRoles: routeRequirements('keycloak').humanRoles ?? [] },
      );
      const body = decision.allow
        ? { allow: true, human: decision.human.id, agent: decision.agent.id }
        : { allow: false, code: decision.code };
      answers.push(JSON.stringify(body));
      sendJson(response, 200, body);
    } catch (error) {
      errors.push(error);
      if (!isDualAuthError(error)) throw error;
      const body = {
        error: error.code,
        reason: (error as { reason?: unknown }).reason,
        message: error.message,
      };
      answers.push(JSON.stringify(body));
      sendJson(response, 401, body);
    }
  });
});

afterAll(async () => {
  await Promise.all([app?.close(), agent?.close()]);
});

async function humanToken(name: string, webClient = 0): Promise<Secret> {
  return new Secret(await requestKeycloakHumanToken(idp.profile('keycloak').tokenEndpoint, name, webClient));
}

async function handOff(name: string, subjectToken: Secret | undefined) {
  const human = humanNamed(idp.profile('keycloak'), name);
  const prepared = await sender.prepareOutOfSessionHandOff(
    { sub: human.id },
    { agentEndpoint: `${agent.url}/invoke`, ...(subjectToken === undefined ? {} : { subjectToken }) },
  );
  const response = await fetch(prepared.url, prepared.requestInit());
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, human };
}

describe('out-of-session exchange: the subject token beside the act JWT', () => {
  const sent: Secret[] = [];

  it('lets the remote agent exchange alice’s token and the API allow it; a second hand-off hits the cache', async () => {
    const subjectToken = await humanToken('alice');
    sent.push(subjectToken);
    const first = await handOff('alice', subjectToken);
    expect(first).toMatchObject({
      status: 200,
      body: { allow: true, human: first.human.id, agent: 'finance-agent' },
    });
    const before = exchanges;
    expect((await handOff('alice', subjectToken)).body.allow).toBe(true);
    expect(exchanges).toBe(before);
  });

  it('is refused by the agent, before any exchange, without a subject token', async () => {
    const before = exchanges;
    const answer = await handOff('alice', undefined);
    expect(answer).toMatchObject({
      status: 401,
      body: { error: 'ERR_ACT_VERIFICATION', reason: 'malformed' },
    });
    expect(exchanges).toBe(before);
  });

  it('is refused by the agent when the subject token’s audience is not the agent', async () => {
    const subjectToken = await humanToken('alice', 1);
    sent.push(subjectToken);
    const before = exchanges;
    expect((await handOff('alice', subjectToken)).body).toMatchObject({
      error: 'ERR_ACT_VERIFICATION',
      reason: 'audience_invalid',
      message: 'subject token refused: its aud does not name this agent',
    });
    expect(exchanges).toBe(before);
  });

  it('is refused by the agent when the subject token is another human’s than the act JWT’s', async () => {
    const subjectToken = await humanToken('carol');
    sent.push(subjectToken);
    expect((await handOff('alice', subjectToken)).body).toMatchObject({ reason: 'binding_invalid' });
  });

  it('lets bob’s exchange through to the API, which denies bob (not entitled)', async () => {
    const subjectToken = await humanToken('bob');
    sent.push(subjectToken);
    expect((await handOff('bob', subjectToken)).body).toEqual({ allow: false, code: 'human_denied' });
  });

  it('never shows a subject token in a log line, an error, an audit event or an answer', () => {
    expect(sent).toHaveLength(4);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(audit.length).toBeGreaterThanOrEqual(2);
    const texts = [...lines, ...answers, ...errors.flatMap(views), ...audit.flatMap(views)];
    // Each token's signature, and its payload, as canaries (the header is shared by every token).
    const canaries = sent.flatMap((token) => token.reveal().split('.').slice(1));
    expect(leakedCanaries(texts, canaries)).toEqual([]);
  });
});
