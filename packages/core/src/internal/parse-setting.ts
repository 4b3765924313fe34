import * as v from 'valibot';
import type { SettingDefinition, SettingValue } from '../config-definition.ts';
import { Secret } from '../secret.ts';
import { checkUrlPolicy } from '../url-policy.ts';
import { describeIssues } from './describe-issues.ts';

const printable = /^[^\p{Cc}]*$/u;
// RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`.
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const textSchema = v.pipe(
  v.string(),
  v.maxLength(1024),
  v.regex(printable, 'must not contain control characters'),
);
const pathSchema = v.pipe(v.string(), v.maxLength(4096), v.regex(/^[^\0]*$/, 'must not contain NUL'));
const secretSchema = v.pipe(v.string(), v.maxLength(65_536));
const scopesSchema = v.pipe(
  v.array(v.pipe(v.string(), v.regex(scopeToken, 'must be OAuth scope tokens'))),
  v.minLength(1),
  v.maxLength(64),
);

/** The outcome of parsing one raw setting: its value, or a problem that names no value. */
export type ParsedSetting = { ok: true; value: SettingValue } | { ok: false; problem: string };

function fromSchema<T>(
  schema: v.GenericSchema<unknown, T>,
  input: unknown,
): { ok: true; value: T } | { ok: false; problem: string } {
  const result = v.safeParse(schema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, problem: describeIssues(result.issues) };
}

/** Validates one raw (already non-empty, trimmed) setting against its kind. */
export function parseSetting(
  definition: SettingDefinition,
  raw: string,
  options: { allowInsecureLoopback: boolean },
): ParsedSetting {
  switch (definition.kind) {
    case 'url': {
      if (raw.length > 2048) return { ok: false, problem: 'is longer than 2048 characters' };
      const result = checkUrlPolicy(raw, options);
      return result.ok ? { ok: true, value: result.url.href } : { ok: false, problem: result.problem };
    }
    case 'text':
      return fromSchema(textSchema, raw);
    case 'path':
      return fromSchema(pathSchema, raw);
    case 'secret': {
      const parsed = fromSchema(secretSchema, raw);
      return parsed.ok
        ? { ok: true, value: new Secret(parsed.value) }
        : { ok: false, problem: 'is longer than 64 KiB' };
    }
    case 'scopes': {
      const parsed = fromSchema(
        scopesSchema,
        raw.split(/[\s,]+/).filter((scope) => scope.length > 0),
      );
      return parsed.ok
        ? { ok: true, value: Object.freeze(parsed.value) }
        : { ok: false, problem: `must be space-separated OAuth scopes (${parsed.problem})` };
    }
  }
}
