import { CreateTagsCommand, DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, SSMClient, type InstanceInformation } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { tagPlatforms } from '../lambda/platform-tags/platform-tags.js';

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const noWait = { sleep: () => Promise.resolve(), firstWaitMs: 1 };
const ssmClient = new SSMClient({});
const ec2Client = new EC2Client({});

const linux = (id: string, version = '2023'): InstanceInformation => ({
  InstanceId: id,
  PlatformType: 'Linux',
  PlatformName: 'Amazon Linux',
  PlatformVersion: version,
  ResourceType: id.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance',
});
const windows = (id: string): InstanceInformation => ({
  InstanceId: id,
  PlatformType: 'Windows',
  PlatformName: 'Microsoft Windows Server 2022 Datacenter',
  PlatformVersion: '10.0.20348',
  ResourceType: 'EC2Instance',
});
const instance = (id: string, tags: Record<string, string> = {}): Instance => ({
  InstanceId: id,
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const amazonLinuxTags = { PlatformType: 'Linux', PlatformName: 'Amazon Linux', PlatformVersion: '2023' };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

beforeEach(() => {
  ssm.reset();
  ec2.reset();
});

describe('tagPlatforms', () => {
  it('pages DescribeInstanceInformation with the EC2Instance filter, passing each NextToken on', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [linux('i-0000000000000000a')], NextToken: 't1' })
      .resolvesOnce({ InstanceInformationList: [linux('i-0000000000000000b')], NextToken: 't2' })
      .resolvesOnce({ InstanceInformationList: [linux('i-0000000000000000c')] });
    ec2.on(DescribeInstancesCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({
      Reservations: [{ Instances: (input.Filters[0]?.Values ?? []).map((id) => instance(id)) }],
    }));
    ec2.on(CreateTagsCommand).resolves({});
    const outcome = await tagPlatforms(ssmClient, ec2Client, { retry: noWait });
    expect(outcome).toEqual({ pages: 3, instances: 3, tagged: 3, createTagsCalls: 3, truncated: false });
    const requests = ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
    expect(requests).toEqual(
      [undefined, 't1', 't2'].map((NextToken) => ({
        Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }],
        MaxResults: 50,
        NextToken,
      })),
    );
    // Each page's instances are looked up once, by filter (an id EC2 no longer knows is then no error).
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual(
      ['a', 'b', 'c'].map((suffix) => ({
        Filters: [
          { Name: 'instance-id', Values: [`i-0000000000000000${suffix}`] },
          { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
        ],
        MaxResults: 1000,
        NextToken: undefined,
      })),
    );
  });

  it('writes only the tags that differ, never touches mi- nodes, and skips instances already right', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [
        linux('i-00000000000000001'), // already right
        linux('i-00000000000000002'), // version changed
        windows('i-00000000000000003'), // untagged
        linux('mi-00000000000000004'), // hybrid node
        linux('i-00000000000000005'), // terminated: EC2 does not return it
      ],
    });
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [instance('i-00000000000000001', { ...amazonLinuxTags, Name: 'web-1' })] },
        {
          Instances: [
            instance('i-00000000000000002', { ...amazonLinuxTags, PlatformVersion: '2' }),
            instance('i-00000000000000003', { Environment: 'prod' }),
          ],
        },
      ],
    });
    ec2.on(CreateTagsCommand).resolves({});
    const outcome = await tagPlatforms(ssmClient, ec2Client, { retry: noWait });
    expect(outcome).toEqual({ pages: 1, instances: 4, tagged: 2, createTagsCalls: 2, truncated: false });
    const lookedUp = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters?.[0]?.Values;
    expect(lookedUp).toEqual([
      'i-00000000000000001',
      'i-00000000000000002',
      'i-00000000000000003',
      'i-00000000000000005',
    ]);
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: ['i-00000000000000002'], Tags: [{ Key: 'PlatformVersion', Value: '2023' }] },
      {
        Resources: ['i-00000000000000003'],
        Tags: [
          { Key: 'PlatformType', Value: 'Windows' },
          { Key: 'PlatformName', Value: 'Microsoft Windows Server 2022 Datacenter' },
          { Key: 'PlatformVersion', Value: '10.0.20348' },
        ],
      },
    ]);
  });

  it('shares CreateTags calls between instances needing the same tags, in batches of the batch size', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: ids.map((id) => linux(id)) });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: ids.map((id) => instance(id)) }] });
    ec2.on(CreateTagsCommand).resolves({});
    const outcome = await tagPlatforms(ssmClient, ec2Client, { batchSize: 20, retry: noWait });
    expect(outcome).toEqual({ pages: 1, instances: 50, tagged: 50, createTagsCalls: 3, truncated: false });
    const calls = ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Resources?.length)).toEqual([20, 20, 10]);
    expect(calls.flatMap((c) => c.Resources)).toEqual(ids);
    for (const call of calls) {
      expect(call.Tags).toEqual([
        { Key: 'PlatformType', Value: 'Linux' },
        { Key: 'PlatformName', Value: 'Amazon Linux' },
        { Key: 'PlatformVersion', Value: '2023' },
      ]);
    }
  });

  it('leaves out values SSM does not report and cuts values to the 256 characters EC2 allows', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [
        { InstanceId: 'i-00000000000000001', PlatformType: 'Linux', PlatformName: 'x'.repeat(300) },
      ],
    });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [instance('i-00000000000000001')] }] });
    ec2.on(CreateTagsCommand).resolves({});
    await tagPlatforms(ssmClient, ec2Client, { retry: noWait });
    expect(ec2.commandCalls(CreateTagsCommand)[0]?.args[0].input).toEqual({
      Resources: ['i-00000000000000001'],
      Tags: [
        { Key: 'PlatformType', Value: 'Linux' },
        { Key: 'PlatformName', Value: 'x'.repeat(256) },
      ],
    });
  });

  it('retries throttled calls with backoff and gives up after the bounded attempts', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .rejectsOnce(throttled())
      .resolves({ InstanceInformationList: [linux('i-00000000000000001')] });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [instance('i-00000000000000001')] }] });
    ec2.on(CreateTagsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const waits: number[] = [];
    const retry = { firstWaitMs: 100, sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
    const outcome = await tagPlatforms(ssmClient, ec2Client, { retry });
    expect(outcome.tagged).toBe(1);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(2);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(3);
    expect(waits).toEqual([100, 100, 200]);

    ec2.reset();
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [instance('i-00000000000000001')] }] });
    ec2.on(CreateTagsCommand).rejects(throttled());
    await expect(tagPlatforms(ssmClient, ec2Client, { retry: { ...noWait, attempts: 3 } })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(3);
  });

  it('stops at the page bound or the deadline and says the run was truncated', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: [linux('i-00000000000000001')], NextToken: 'more' });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [instance('i-00000000000000001')] }] });
    ec2.on(CreateTagsCommand).resolves({});
    const bounded = await tagPlatforms(ssmClient, ec2Client, { maxPages: 4, retry: noWait });
    expect(bounded).toMatchObject({ pages: 4, truncated: true });
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(4);

    ssm.resetHistory();
    let clock = 0;
    const timed = await tagPlatforms(ssmClient, ec2Client, {
      deadline: 2,
      now: () => clock++,
      retry: noWait,
    });
    expect(timed).toMatchObject({ pages: 2, truncated: true });
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(2);
  });
});
