/**
 * The clients as made for a real collection, with only the network replaced: the SDK's own retry middleware
 * runs, so this shows the adaptive retry answers ThrottlingException by trying again.
 */
import { Readable } from 'node:stream';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribePatchBaselinesCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translateAwsError } from './aws-errors.js';
import { createCollectClients } from './clients.js';
import { ec2InstanceRecord } from './records.js';

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

describe('the EC2 client', () => {
  const xml = (statusCode: number, body: string) => ({
    response: {
      statusCode,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: Readable.from([Buffer.from(body)]),
    },
  });

  it('asks DescribeInstances as EC2 takes it and reads its answer and its refusal', async () => {
    const seen: { host: string; body: string }[] = [];
    const answers = [
      xml(
        200,
        `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId>
<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>
<instanceId>i-0ddddddddddddddd2</instanceId><imageId>ami-0123456789abcdef0</imageId>
<instanceState><code>80</code><name>stopped</name></instanceState><instanceType>t3.medium</instanceType>
<launchTime>2026-05-01T08:00:00.000Z</launchTime><platformDetails>Windows</platformDetails>
<tagSet><item><key>Team</key><value>data</value></item></tagSet>
</item></instancesSet></item></reservationSet><nextToken>next-page</nextToken></DescribeInstancesResponse>`,
      ),
      xml(
        403,
        `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r2</RequestID></Response>`,
      ),
    ];
    const requestHandler = {
      handle: async (request: { hostname: string; body: string }) => {
        seen.push({ host: request.hostname, body: String(request.body) });
        return answers.shift()!;
      },
    };
    const clients = await createCollectClients({ stsRegion: 'eu-west-1', requestHandler, maxAttempts: 1 });
    const ec2 = clients.ec2('eu-west-1');
    const page = await ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
    const instance = page.Reservations![0]!.Instances![0]!;
    expect(page.NextToken).toBe('next-page');
    expect(ec2InstanceRecord(instance, '2026-10-30T23:30:00Z')).toMatchObject({
      InstanceId: 'i-0ddddddddddddddd2',
      State: 'stopped',
      LaunchTime: '2026-05-01T08:00:00Z',
      Platform: 'Windows',
    });
    expect(instance.Tags).toEqual([{ Key: 'Team', Value: 'data' }]);

    const refused = await ec2
      .send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: 'next-page' }))
      .catch((e: unknown) => e);
    expect(
      translateAwsError(refused, { action: 'ec2:DescribeInstances', region: 'eu-west-1' }).message,
    ).toMatch(
      /^Access denied: the credentials may not call ec2:DescribeInstances in eu-west-1 \(AWS said: You are not authorized to perform this operation\.\)\..*--no-instances/,
    );
    expect(seen.map((r) => r.host)).toEqual(['ec2.eu-west-1.amazonaws.com', 'ec2.eu-west-1.amazonaws.com']);
    expect(seen.map((r) => Object.fromEntries(new URLSearchParams(r.body)))).toEqual([
      { Action: 'DescribeInstances', Version: '2016-11-15', MaxResults: '1000' },
      {
        Action: 'DescribeInstances',
        Version: '2016-11-15',
        MaxResults: '1000',
        NextToken: 'next-page',
      },
    ]);
  }, 20_000);
});
