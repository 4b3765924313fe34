import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.ts';
import { readEnvironmentSetting } from './read-environment-setting.ts';

const region = {
  name: 'DUAL_AUTH_AWS_REGION',
  defaultValue: 'us-east-1',
  pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  expected: 'an AWS region such as us-east-1',
};
const { defaultValue: _, ...project } = {
  ...region,
  name: 'DUAL_AUTH_GCP_PROJECT',
  expected: 'a project id',
};

function failure(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readEnvironmentSetting', () => {
  it('returns the trimmed value, or the default when unset or blank', () => {
    expect(readEnvironmentSetting({ DUAL_AUTH_AWS_REGION: ' eu-west-1\n' }, region)).toBe('eu-west-1');
    expect(readEnvironmentSetting({}, region)).toBe('us-east-1');
    expect(readEnvironmentSetting({ DUAL_AUTH_AWS_REGION: '  ' }, region)).toBe('us-east-1');
  });

  it('names a missing required setting', () => {
    const error = failure(() => readEnvironmentSetting({ DUAL_AUTH_GCP_PROJECT: '' }, project));
    expect(error.setting).toBe('DUAL_AUTH_GCP_PROJECT');
    expect(error.message).toBe('DUAL_AUTH_GCP_PROJECT is not set: it must be a project id.');
  });

  it('names a malformed setting without quoting its value', () => {
    const error = failure(() =>
      readEnvironmentSetting({ DUAL_AUTH_AWS_REGION: 'secret-looking value' }, region),
    );
    expect(error.setting).toBe('DUAL_AUTH_AWS_REGION');
    expect(error.message).toBe('DUAL_AUTH_AWS_REGION must be an AWS region such as us-east-1.');
  });
});
