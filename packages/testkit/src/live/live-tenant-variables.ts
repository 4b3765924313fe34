import type { ClientAuthMethod, DelegationMode, Vendor } from '@dual-auth/core';

/**
 * One environment variable of the live contract suite for one vendor.
 *
 * @example
 * ```ts
 * const variable: LiveTenantVariable = {
 *   name: 'DUAL_AUTH_LIVE_OKTA_AGENT_CLIENT_SECRET',
 *   required: 'unless private_key_jwt',
 *   secret: true,
 *   description: "the agent's client secret",
 * };
 * ```
 */
export interface LiveTenantVariable {
  readonly name: string;
  /** When the variable must be set once any variable of the vendor is. */
  readonly required: 'yes' | 'no' | 'with private_key_jwt' | 'unless private_key_jwt';
  /** Whether the value is a secret (never echoed, held as a `Secret`). */
  readonly secret: boolean;
  readonly description: string;
}

/**
 * What the live suite assumes of one vendor: how its agents are set up in the dual-auth guides.
 *
 * @example
 * ```ts
 * const { label, mode } = liveVendorProfiles.okta; // 'Okta', 'hybrid'
 * ```
 */
export interface LiveVendorProfile {
  /** The vendor's name as people write it (`Entra ID`). */
  readonly label: string;
  /** The delegation layout the vendor's guide sets up: `agbac` (the IdP sees the human) or `hybrid`. */
  readonly mode: DelegationMode;
  /** Client authentications the suite can run with this vendor, the default first. */
  readonly authMethods: readonly [ClientAuthMethod, ...ClientAuthMethod[]];
}

/**
 * The live suite's view of each vendor (docs/live-tests.md).
 *
 * @example
 * ```ts
 * for (const vendor of Object.keys(liveVendorProfiles) as Vendor[]) console.log(liveVendorProfiles[vendor].label);
 * ```
 */
export const liveVendorProfiles: Readonly<Record<Vendor, LiveVendorProfile>> = {
  // An agbac agent puts the human in a client assertion: Keycloak needs a JWT client authentication.
  keycloak: { label: 'Keycloak', mode: 'agbac', authMethods: ['client_secret_jwt', 'private_key_jwt'] },
  // Auth0 has no client_secret_jwt (docs/iam/auth0.md).
  auth0: {
    label: 'Auth0',
    mode: 'agbac',
    authMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
  },
  okta: {
    label: 'Okta',
    mode: 'hybrid',
    authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
  },
  // Entra ID has no client_secret_jwt.
  entraid: {
    label: 'Entra ID',
    mode: 'hybrid',
    authMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
  },
};

/**
 * The prefix of one vendor's live variables: `DUAL_AUTH_LIVE_ENTRAID_`.
 *
 * @example
 * ```ts
 * liveVariablePrefix('auth0'); // 'DUAL_AUTH_LIVE_AUTH0_'
 * ```
 */
export function liveVariablePrefix(vendor: Vendor): string {
  return `DUAL_AUTH_LIVE_${vendor.toUpperCase()}_`;
}

function clientVariables(prefix: string, role: 'AGENT' | 'ROGUE', who: string): LiveTenantVariable[] {
  return [
    { name: `${prefix}${role}_CLIENT_ID`, required: 'yes', secret: false, description: `${who}: client id` },
    {
      name: `${prefix}${role}_CLIENT_SECRET`,
      required: 'unless private_key_jwt',
      secret: true,
      description: `${who}: client secret`,
    },
    {
      name: `${prefix}${role}_PRIVATE_KEY_PATH`,
      required: 'with private_key_jwt',
      secret: false,
      description: `${who}: private key file (PKCS#8 PEM or a private JWK), mode 0600`,
    },
    {
      name: `${prefix}${role}_PRIVATE_KEY_ID`,
      required: 'no',
      secret: false,
      description: `${who}: the key's kid at the IdP (default the JWK's kid)`,
    },
    {
      name: `${prefix}${role}_CERTIFICATE_THUMBPRINT`,
      required: 'no',
      secret: false,
      description: `${who}: base64url SHA-256 thumbprint of the key's certificate, sent as x5t#S256 (Entra ID)`,
    },
  ];
}

/**
 * Every live variable of one vendor, in the order docs/live-tests.md lists them.
 *
 * @example
 * ```ts
 * const required = liveTenantVariables('keycloak').filter((variable) => variable.required === 'yes');
 * ```
 */
export function liveTenantVariables(vendor: Vendor): readonly LiveTenantVariable[] {
  const prefix = liveVariablePrefix(vendor);
  const { mode, authMethods } = liveVendorProfiles[vendor];
  const agbac = mode === 'agbac';
  return [
    {
      name: `${prefix}ISSUER`,
      required: 'yes',
      secret: false,
      description: 'the issuer exactly as tokens carry it (https; discovery is read from it)',
    },
    {
      name: `${prefix}AUDIENCE`,
      required: 'yes',
      secret: false,
      description:
        vendor === 'entraid'
          ? "the API application's client id (a GUID): the aud of v2.0 tokens"
          : 'the API audience tokens carry',
    },
    {
      name: `${prefix}SCOPE`,
      required: vendor === 'entraid' ? 'yes' : 'no',
      secret: false,
      description:
        vendor === 'entraid'
          ? 'the scope to request: {API identifier URI}/.default'
          : 'scopes to request, space-separated',
    },
    {
      name: `${prefix}AUTH_METHOD`,
      required: 'no',
      secret: false,
      description: `the agents' client authentication: ${authMethods.join(', ')} (default ${authMethods[0]})`,
    },
    ...clientVariables(prefix, 'AGENT', 'the pre-approved agent'),
    ...clientVariables(prefix, 'ROGUE', 'an agent that is not pre-approved'),
    {
      name: `${prefix}APPROVED_HUMAN`,
      required: agbac ? 'yes' : 'no',
      secret: false,
      description: agbac
        ? 'user id of a human who holds the human role and approved the agent'
        : 'user id the act assertions name (default live-test-human; the IdP never sees it)',
    },
    ...(agbac
      ? [
          {
            name: `${prefix}REFUSED_HUMANS`,
            required: 'yes',
            secret: false,
            description: 'user ids (comma-separated) of humans the IdP must refuse: no role, or no approval',
          } as const,
        ]
      : []),
    {
      name: `${prefix}AGENT_ROLE`,
      required: 'no',
      secret: false,
      description:
        vendor === 'keycloak'
          ? 'the realm role agents need (default dual-auth-agent)'
          : "a role the verifier must find in the agent's token (default none checked)",
    },
    ...(vendor === 'auth0'
      ? [
          {
            name: `${prefix}ACT_CLAIM`,
            required: 'no',
            secret: false,
            description:
              'the namespaced claim the Action writes the human to (default https://dual-auth.dev/act)',
          } as const,
        ]
      : []),
  ];
}
