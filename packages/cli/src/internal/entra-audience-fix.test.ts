// Entra v2.0 access tokens carry the API app's client id in aud; v1.0 tokens may carry the URI
// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud).
import { describe, expect, it } from 'vitest';
import { entraAudienceFix } from './entra-audience-fix.ts';

const clientId = '0f1e2d3c-4b5a-4697-8877-665544332211';

describe('entraAudienceFix', () => {
  it('names the client id when the Application ID URI, or nothing, is configured', () => {
    expect(entraAudienceFix(clientId, 'api://finance', 'API_AUDIENCE')).toBe(
      `set API_AUDIENCE to ${clientId}, the API app's Application (client) ID: Entra v2 tokens carry it as aud, never the Application ID URI (api://finance)`,
    );
    expect(entraAudienceFix([clientId], undefined, 'API_AUDIENCE')).toMatch(
      new RegExp(`^set API_AUDIENCE to ${clientId}, `),
    );
  });

  it('names the token as a v1.0 one when its aud is a URI and the client id is configured', () => {
    expect(entraAudienceFix('api://finance', clientId, '--audience')).toBe(
      "the token's aud api://finance is not an Application (client) ID, so it is a v1.0 token: set the API app's requestedAccessTokenVersion (manifest accessTokenAcceptedVersion) to 2, then set --audience to the API app's Application (client) ID",
    );
  });

  it('names both APIs when the token is for another client id', () => {
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(entraAudienceFix(other, clientId, 'API_AUDIENCE')).toContain(`set API_AUDIENCE to ${other}`);
    expect(entraAudienceFix(undefined, clientId, 'API_AUDIENCE')).toBeUndefined();
  });
});
