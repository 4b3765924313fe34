// The OpenTelemetry audit sink's cost when nobody traces: a cached verifier decision (the
// cheapest one, so the sink's share is the largest) with `createOpenTelemetryAuditSink()` against
// the same decision with a no-op sink — first with no tracer provider registered (the API's
// default), then with a no-op provider registered globally.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createOpenTelemetryAuditSink } from '@dual-auth/mcp/otel';
import { createVerifier } from '@dual-auth/verifier';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { compare } from '../measure.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = Math.floor(Date.now() / 1000);
const issuer = 'https://127.0.0.1:8443/realms/acme';
const audience = 'https://mcp.example.com/mcp';
const payload = {
  exp: now + 3600,
  iat: now - 5,
  iss: issuer,
  aud: audience,
  sub: '6c0a9f1e-2d5b-4a8e-9f0e-3b7c1d2e4f5a',
  azp: 'finance-agent',
  realm_access: { roles: ['FinanceAgent'] },
  act: { sub: 'f1d2c3b4-0000-4000-8000-00000000a11c' },
  delegation: { method: 'explicit', granted_at: now - 60, intent_summary: 'Summarise Q4 finance report' },
  agbac_ver: '1.0',
};
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signingInput = `${encode({ alg: 'ES256', typ: 'JWT', kid: 'bench-1' })}.${encode(payload)}`;
const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
const request = {
  authorization: `Bearer ${signingInput}.${signature.toString('base64url')}`,
  method: 'POST',
  path: '/mcp',
};
const requirements = { agentRoles: ['FinanceAgent'], action: 'tools/call read_report' };

const common = {
  issuer,
  audience,
  keys: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', alg: 'ES256' }] },
  vendor: 'keycloak',
  layout: 'agbac',
  humanAuthorizedByIdp: true,
} as const;
const withoutSink = createVerifier({ ...common, audit: () => {} });
const withSink = createVerifier({ ...common, audit: createOpenTelemetryAuditSink() });
for (const verifier of [withoutSink, withSink]) {
  const decision = await verifier.verify(request, requirements);
  if (!decision.allow) throw new Error(`benchmark token refused: ${decision.reason}`);
}

const reference = {
  name: 'cached decision, no-op audit sink',
  run: () => withoutSink.verify(request, requirements),
};
const ours = {
  name: 'cached decision, OpenTelemetry sink',
  run: () => withSink.verify(request, requirements),
};
await compare({ name: 'otel.audit-sink.no-tracer-registered', ours, reference, target: 0.9 });
trace.setGlobalTracerProvider(new ProxyTracerProvider());
await compare({ name: 'otel.audit-sink.no-op-global-tracer', ours, reference, target: 0.9 });
