/**
 * The application's public key as `OutOfSessionTokenRequest` accepts it in `keys`: PEM
 * text (SPKI or an X.509 certificate), a public JWK, or a Node `KeyObject`. Private and symmetric
 * keys are refused with `TypeError`.
 *
 * @example
 * ```ts
 * const appPublicKey: PublicKeyInput = await readFile(process.env.APP_PUBLIC_KEY_PATH, 'utf8');
 * const tokenRequest = new OutOfSessionTokenRequest({ adapter, keys: appPublicKey, issuer, audience });
 * ```
 */
export type PublicKeyInput =
  | string
  | Readonly<Record<string, unknown>>
  | { readonly type: string; export: unknown };
