import type { Vendor } from '@dual-auth/core';
import { createVerifier, type HybridOptions, type Layout, type Verifier } from '@dual-auth/verifier';
import { exitCodes } from '../../exit-codes.ts';
import { CliExit, type CommandContext } from '../command-context.ts';
import { FetchJsonError, fetchJson } from '../fetch-json.ts';
import type { HumanPolicy } from '../human-policy.ts';
import { discoveryUrlOfIssuer } from '../vendor-endpoints.ts';
import { discoveryFailure } from '../verify-hints.ts';
import type { ConfiguredSettings } from './settings-from-config.ts';
import type { VerifyValues } from './verify-arguments.ts';
import { parseKeyText, readFileArgument } from './verify-file-arguments.ts';

/** The IdP's JWKS URL: the one given, else the `jwks_uri` of the issuer's discovery document. */
export async function resolveJwksUri(
  issuer: string,
  given: string | undefined,
  token: string,
): Promise<string> {
  if (given !== undefined) return given;
  const url = discoveryUrlOfIssuer(issuer);
  try {
    const discovery = await fetchJson(url);
    if (typeof discovery.jwks_uri !== 'string') throw new FetchJsonError(`${url} has no jwks_uri`);
    return discovery.jwks_uri;
  } catch (error) {
    throw discoveryFailure(error, url, { what: 'the issuer', value: issuer, token });
  }
}

/** The act assertion options of the hybrid layout: the application's issuer and its key or JWKS URL. */
export async function hybridOptions(
  context: CommandContext,
  values: VerifyValues,
  configured: ConfiguredSettings | undefined,
): Promise<HybridOptions> {
  const appId = values['app-id'] ?? configured?.appId;
  if (appId === undefined)
    throw new CliExit(
      exitCodes.usage,
      `the hybrid layout needs --app-id${configured === undefined ? '' : ' (APP_ID is not set)'}`,
    );
  if (values['app-public-key'] !== undefined && values['app-jwks-uri'] !== undefined)
    throw new CliExit(exitCodes.usage, 'give one of --app-public-key and --app-jwks-uri, not both');
  let keys: HybridOptions['keys'] = configured?.appKeys;
  if (values['app-public-key'] !== undefined) {
    const text = await readFileArgument(context, values['app-public-key'], '--app-public-key');
    keys = parseKeyText(text, '--app-public-key');
  }
  if (keys === undefined && values['app-jwks-uri'] === undefined) {
    throw new CliExit(
      exitCodes.usage,
      `the hybrid layout needs one of --app-public-key and --app-jwks-uri${configured === undefined ? '' : ' (APP_PUBLIC_KEY_PATH and APP_PRIVATE_KEY_PATH are not set)'}`,
    );
  }
  return {
    issuer: appId,
    ...(keys === undefined ? { jwksUri: values['app-jwks-uri'] as string } : { keys }),
  };
}

/** What the verifier of `dual-auth verify` is built from, once the arguments and configuration are resolved. */
export interface VerifierArguments {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  readonly vendor: Vendor;
  readonly layout: Layout;
  readonly humanClaim: string;
  readonly allowInsecureLoopback: boolean;
  readonly humanPolicy: HumanPolicy;
  readonly hybrid: HybridOptions | undefined;
  /** rfc8693: the agents a token without `act` may name (Okta's and Entra ID's are read only with it). */
  readonly onBehalfOfAgents: readonly string[] | undefined;
}

/**
 * The resource server's verifier for these arguments, without a cache; a refused option is a usage
 * error, an application key that is no usable public key an input error.
 */
export function verifierFromArguments(values: VerifyValues, settings: VerifierArguments): Verifier {
  const { hybrid, humanPolicy } = settings;
  try {
    return createVerifier({
      issuer: settings.issuer,
      audience: settings.audience,
      jwksUri: settings.jwksUri,
      vendor: settings.vendor,
      layout: settings.layout,
      humanClaim: settings.humanClaim,
      cache: false,
      allowInsecureLoopback: settings.allowInsecureLoopback,
      ...(values['max-chain-depth'] === undefined
        ? {}
        : { limits: { maxChainDepth: Number(values['max-chain-depth']) } }),
      ...(values['require-delegation'] === undefined
        ? {}
        : { requireDelegation: values['require-delegation'] }),
      ...humanPolicy.verifierOptions,
      ...(hybrid === undefined ? {} : { hybrid }),
      ...(settings.onBehalfOfAgents === undefined ? {} : { onBehalfOfAgents: settings.onBehalfOfAgents }),
    });
  } catch (error) {
    const message = (error as Error).message;
    // The application key was read and parsed but is no usable public key (a private key, an
    // encryption key, too short): a problem with the input file, not with the command line.
    const keyProblem = /^hybrid\.keys(?:\[\d+\])? (.*)$/s.exec(message);
    if (keyProblem !== null && hybrid?.keys !== undefined) {
      const setting =
        values['app-public-key'] !== undefined ? '--app-public-key' : 'the configured application key';
      throw new CliExit(exitCodes.input, `${setting}: the key ${keyProblem[1]}`);
    }
    throw new CliExit(exitCodes.usage, message);
  }
}
