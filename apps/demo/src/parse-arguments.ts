import { vendors as allVendors, isVendor, type Vendor } from '@dual-auth/core';

/** What the command line asked for. */
export interface DemoArguments {
  readonly vendors: readonly Vendor[];
  readonly json: boolean;
  readonly serve: boolean;
  /** Port of the web page (`--port`, default 0 = any free port). */
  readonly port: number;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run demo -- [--vendor keycloak|auth0|okta|entraid|all]... [--json] [--serve [--port N]]

  (default)  run the scripted scenarios, print the ALLOW/DENY table, exit 0 when every row is as expected
  --vendor   IdP profile(s) to use (repeatable or comma-separated; default keycloak, or DUAL_AUTH_VENDOR)
  --json     print one JSON line per scenario instead of the table
  --serve    keep everything running and serve the web page; prints one JSON line with the URLs
  --port     port of the web page in --serve mode (default: any free port)
`;

/** Parses the demo's arguments; throws a `TypeError` with a one-line message for bad ones. */
export function parseArguments(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>> = {},
): DemoArguments {
  const selected = new Set<Vendor>();
  let json = false;
  let serve = false;
  let help = false;
  let port = 0;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const [name, inline] =
      argument.startsWith('--') && argument.includes('=')
        ? argument.split(/=(.*)/s, 2)
        : [argument, undefined];
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new TypeError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--vendor':
        for (const vendor of value().split(',')) {
          const trimmed = vendor.trim().toLowerCase();
          if (trimmed === 'all') for (const each of allVendors) selected.add(each);
          else if (isVendor(trimmed)) selected.add(trimmed);
          else throw new TypeError(`unknown vendor "${trimmed}": use keycloak, auth0, okta, entraid or all`);
        }
        break;
      case '--json':
        json = true;
        break;
      case '--serve':
        serve = true;
        break;
      case '--port': {
        port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65_535)
          throw new TypeError('--port must be 0-65535');
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      case '--':
        break;
      default:
        throw new TypeError(`unknown argument "${argument}"`);
    }
  }
  if (selected.size === 0) {
    const fromEnvironment = environment.DUAL_AUTH_VENDOR?.trim().toLowerCase();
    selected.add(fromEnvironment && isVendor(fromEnvironment) ? fromEnvironment : 'keycloak');
  }
  // Keep the canonical order whatever order the flags came in.
  const vendors = allVendors.filter((vendor) => selected.has(vendor));
  return { vendors, json, serve, port, help };
}
