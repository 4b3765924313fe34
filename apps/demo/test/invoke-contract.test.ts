import { readFileSync } from 'node:fs';
import { HybridSender } from '@dual-auth/sender';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_TASK_ERROR } from '../src/finance-task.ts';
import { MAXIMUM_BODY_BYTES } from '../src/read-json-body.ts';
import { signPythonActJwt } from '../src/sign-python-act-jwt.ts';
import { type DemoStack, startDemoStack } from '../src/start-demo-stack.ts';

let stack: DemoStack;
let invokeUrl: string;

beforeAll(async () => {
  stack = await startDemoStack(['keycloak', 'entraid'], { APP_ID: 'https://python-app.example' });
  invokeUrl = `${stack.agentService.baseUrl}/invoke`;
}, 30_000);
afterAll(() => stack?.close());

const humanId = (name: string, vendor: 'keycloak' | 'entraid' = 'keycloak') =>
  stack.idp.profile(vendor).humans.find((human) => human.name.toLowerCase().startsWith(name))?.id ?? '';

async function invoke(body: unknown, url = invokeUrl) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('out-of-session agent: POST /invoke', () => {
  it('400 when act_jwt is missing, empty or the body is not JSON', async () => {
    expect((await invoke({})).status).toBe(400);
    expect((await invoke({ act_jwt: '' })).status).toBe(400);
    expect((await invoke('not json')).status).toBe(400);
  });

  it('names what is wrong with a malformed body, each with its own status', async () => {
    const post = async (body: string, type = 'application/json') => {
      const response = await fetch(invokeUrl, { method: 'POST', headers: { 'content-type': type }, body });
      return [response.status, ((await response.json()) as { error: string }).error];
    };
    expect(await post('{bad')).toEqual([400, 'request body is not valid JSON']);
    expect(await post('{"act_jwt":5}')).toEqual([400, 'act_jwt must be a string (the compact act JWT)']);
    expect(await post('{"act_jwt":["a.b.c"]}')).toEqual([
      400,
      'act_jwt must be a string (the compact act JWT)',
    ]);
    expect(await post('["a.b.c"]')).toEqual([400, 'request body must be a JSON object']);
    expect(await post('')).toEqual([400, 'request body is empty: expected a JSON object']);
    expect(await post('{"act_jwt":"a.b.c"}', 'text/plain')).toEqual([
      415,
      'content-type must be application/json',
    ]);
    expect(await post(JSON.stringify({ act_jwt: 'x'.repeat(2 * 1024 * 1024) }))).toEqual([
      413,
      `request body larger than ${MAXIMUM_BODY_BYTES} bytes`,
    ]);
    // Streamed without a Content-Length: refused once the limit is passed, not read to the end.
    const chunk = new TextEncoder().encode(`{"act_jwt":"${'x'.repeat(64 * 1024)}`);
    const streamed = await fetch(invokeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull: (controller) => controller.enqueue(chunk),
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // Only an absent or empty act_jwt gets the seed's words.
    expect(await post('{"task":"read-report"}')).toEqual([400, 'Missing act_jwt']);
  });

  it('refuses an unknown task, naming the known ones, instead of running read-report', async () => {
    const actJwt = await stack.app.sender.prepareOutOfSessionAct(
      stack.app.actFor('keycloak', humanId('alice')),
      {
        agentEndpoint: invokeUrl,
      },
    );
    for (const task of ['delete-ledger', 5, null, 'READ-REPORT']) {
      expect(await invoke({ act_jwt: actJwt, task })).toEqual({
        status: 400,
        body: { error: UNKNOWN_TASK_ERROR },
      });
    }
    expect(UNKNOWN_TASK_ERROR).toBe('unknown task: use one of read-report, post-summary');
    // Refused before the act JWT was looked at: it is still unused, and a known task runs with it.
    const { status, body } = await invoke({ act_jwt: actJwt, task: 'read-report' });
    expect([status, body.status]).toEqual([200, 'success']);
  });

  it('200 with the task result for an approved human, from the application sender', async () => {
    const actJwt = await stack.app.sender.prepareOutOfSessionAct(
      stack.app.actFor('keycloak', humanId('alice')),
      {
        agentEndpoint: invokeUrl,
      },
    );
    const { status, body } = await invoke({ act_jwt: actJwt, task: 'post-summary' });
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.result).toMatchObject({ report: { quarter: 'Q4' }, summary: { netIncome: 372_000 } });
    expect(JSON.stringify(body)).not.toContain(actJwt);
  });

  it('401 when the act JWT is refused: garbage, replayed, another audience, another issuer', async () => {
    expect((await invoke({ act_jwt: 'a.b.c' })).status).toBe(401);
    const act = stack.app.actFor('keycloak', humanId('alice'));
    const actJwt = await stack.app.sender.prepareOutOfSessionAct(act, { agentEndpoint: invokeUrl });
    expect((await invoke({ act_jwt: actJwt })).status).toBe(200);
    const replay = await invoke({ act_jwt: actJwt });
    expect([replay.status, replay.body.code]).toEqual([401, 'replayed']);
    const elsewhere = await stack.app.sender.prepareOutOfSessionAct(act, {
      agentEndpoint: 'https://127.0.0.1:1/invoke',
    });
    expect((await invoke({ act_jwt: elsewhere })).body.code).toBe('audience_invalid');
    const impostor = await HybridSender.create({
      privateKeyPath: stack.shared.appPrivateKeyPath,
      appId: 'https://impostor.example',
    });
    const wrongIssuer = await impostor.prepareOutOfSessionAct(act, { agentEndpoint: invokeUrl });
    expect((await invoke({ act_jwt: wrongIssuer })).body.code).toBe('issuer_invalid');
  });

  it('403 when the API denies (keycloak: a token without act for an unapproved human; entraid: unapproved human)', async () => {
    const idpDenied = await invoke({
      act_jwt: await stack.app.sender.prepareOutOfSessionAct(stack.app.actFor('keycloak', humanId('bob')), {
        agentEndpoint: invokeUrl,
      }),
    });
    expect([idpDenied.status, idpDenied.body.stoppedAt, idpDenied.body.failed]).toEqual([
      403,
      'api',
      'token',
    ]);
    const entraUrl = stack.agentService.endpoint('entraid', 'finance-agent');
    const apiDenied = await invoke(
      {
        act_jwt: await stack.app.sender.prepareOutOfSessionAct(
          stack.app.actFor('entraid', humanId('bob', 'entraid')),
          {
            agentEndpoint: entraUrl,
          },
        ),
      },
      entraUrl,
    );
    expect([apiDenied.status, apiDenied.body.stoppedAt, apiDenied.body.code]).toEqual([
      403,
      'api',
      'human_denied',
    ]);
  });

  it('accepts an act JWT as the Python reference signs it (RS256, typ JWT, iss and sub "application")', async () => {
    const actJwt = await signPythonActJwt({
      privateKeyPath: stack.shared.appPrivateKeyPath,
      agentEndpoint: invokeUrl,
      act: { sub: humanId('alice'), email: 'alice@corp.example.com', name: 'Alice Smith' },
    });
    const [header, payload] = actJwt
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual(['act', 'aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(payload).toMatchObject({ iss: 'application', sub: 'application', aud: invokeUrl });
    const { status, body } = await invoke({ act_jwt: actJwt });
    expect(status).toBe(200);
    expect((body.agentToken as { claims: { act: { sub: string } } }).claims.act.sub).toBe(humanId('alice'));
    // The same format signed with another key is refused.
    expect(readFileSync(stack.shared.appPublicKeyPath, 'utf8')).toContain('PUBLIC KEY');
    const forged = `${actJwt.split('.').slice(0, 2).join('.')}.${Buffer.from('x'.repeat(256)).toString('base64url')}`;
    expect((await invoke({ act_jwt: forged })).status).toBe(401);
  });
});
