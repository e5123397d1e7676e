import { isPatchboardError, PatchboardError } from '@patchboard/core';
import { describe, expect, it } from 'vitest';
import { isThrottling, translateAwsError } from './aws-errors.js';

const call = { action: 'ssm:DescribeInstancePatches', region: 'eu-west-1' };
const aws = (name: string, message = 'said', extra: object = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('translateAwsError', () => {
  it('names the missing permission on AccessDenied', () => {
    const error = translateAwsError(aws('AccessDeniedException', 'not authorized'), call);
    expect(isPatchboardError(error) && error.code).toBe('IO');
    expect(error.message).toBe(
      'Access denied: the credentials may not call ssm:DescribeInstancePatches in eu-west-1 (AWS said: not authorized). Grant ssm:DescribeInstancePatches to the role or user (docs/ingest.md, "Collecting without a Resource Data Sync", lists every permission collect needs), then run collect again; it continues where it stopped.',
    );
  });
  it('names the option that goes on without a call that can be skipped', () => {
    const error = translateAwsError(
      aws('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      { action: 'ec2:DescribeInstances', region: 'eu-west-1' },
    );
    expect(error.message).toBe(
      'Access denied: the credentials may not call ec2:DescribeInstances in eu-west-1 (AWS said: You are not authorized to perform this operation.). Grant ec2:DescribeInstances to the role or user (docs/ingest.md, "Collecting without a Resource Data Sync", lists every permission collect needs), or run collect again with --no-instances to go on without the EC2 instance list (instances SSM does not manage are then not counted); either way it continues where it stopped.',
    );
    expect(error.message).not.toContain('\n');
  });
  it('tells missing credentials from refused ones', () => {
    expect(translateAwsError(aws('CredentialsProviderError'), call).message).toMatch(
      /^No AWS credentials were found .*--profile/,
    );
    expect(translateAwsError(aws('ExpiredTokenException'), call).message).toMatch(
      /^The AWS credentials were refused for ssm:DescribeInstancePatches in eu-west-1: ExpiredTokenException .*aws sso login/,
    );
  });
  it('says what to do about lasting throttling and any other fault, and keeps the cause', () => {
    const throttled = aws('ThrottlingException');
    const error = translateAwsError(throttled, call);
    expect(error.message).toMatch(/still throttled after every retry .*Lower --max-rps or --concurrency/);
    expect(error.cause).toBe(throttled);
    expect(translateAwsError(aws('InternalServerError', 'boom'), call).message).toBe(
      'ssm:DescribeInstancePatches in eu-west-1 failed: InternalServerError (AWS said: boom). Run collect again to continue where it stopped.',
    );
  });
  it('passes a PatchboardError through', () => {
    const own = new PatchboardError('USAGE', 'x');
    expect(translateAwsError(own, call)).toBe(own);
  });
});

describe('isThrottling', () => {
  it('knows throttling by name, by the SDK mark, or by HTTP 429', () => {
    expect(isThrottling(aws('ThrottlingException'))).toBe(true);
    expect(isThrottling(aws('Whatever', '', { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(aws('Whatever', '', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isThrottling(aws('AccessDeniedException'))).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });
});
