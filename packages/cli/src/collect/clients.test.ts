/**
 * The clients as made for a real collection, with only the network replaced: the SDK's own retry middleware
 * runs, so this shows the adaptive retry answers ThrottlingException by trying again.
 */
import { Readable } from 'node:stream';
import { DescribePatchBaselinesCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollectClients } from './clients.js';

const saved = { ...process.env };
beforeEach(() => {
  // Static test credentials: the default chain finds them first and asks no other provider.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterEach(() => {
  process.env = { ...saved };
});

describe('createCollectClients', () => {
  it('makes one client per Region, in adaptive retry mode, that retries throttling', async () => {
    const seen: { host: string; target: string | undefined }[] = [];
    let answers = 0;
    const requestHandler = {
      handle: async (request: { hostname: string; headers: Record<string, string> }) => {
        seen.push({ host: request.hostname, target: request.headers['x-amz-target'] });
        const throttled = answers++ < 2;
        const body = throttled
          ? { __type: 'ThrottlingException', message: 'Rate exceeded' }
          : { BaselineIdentities: [{ BaselineId: 'pb-0123456789abcdef0' }] };
        return {
          response: {
            statusCode: throttled ? 400 : 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    const clients = await createCollectClients({ stsRegion: 'eu-west-1', requestHandler, maxAttempts: 4 });
    const ssm = clients.ssm('eu-west-1');
    expect(clients.ssm('eu-west-1')).toBe(ssm);
    expect(await clients.ssm('us-east-1').config.region()).toBe('us-east-1');
    expect(await ssm.config.retryStrategy()).toHaveProperty('mode', 'adaptive');
    const ec2 = clients.ec2('eu-west-1');
    expect(clients.ec2('eu-west-1')).toBe(ec2);
    expect(await ec2.config.region()).toBe('eu-west-1');
    expect(await clients.ec2('us-east-1').config.region()).toBe('us-east-1');
    expect(await ec2.config.retryStrategy()).toHaveProperty('mode', 'adaptive');
    expect(await ec2.config.maxAttempts()).toBe(4);
    const answer = await ssm.send(new DescribePatchBaselinesCommand({}));
    expect(answer.BaselineIdentities).toEqual([{ BaselineId: 'pb-0123456789abcdef0' }]);
    // Two throttled answers, then the one that succeeded, all to the Region's endpoint.
    expect(seen).toEqual(
      Array.from({ length: 3 }, () => ({
        host: 'ssm.eu-west-1.amazonaws.com',
        target: 'AmazonSSM.DescribePatchBaselines',
      })),
    );
  }, 20_000);
});
