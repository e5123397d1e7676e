import {
  CreateResourceDataSyncCommand,
  DeleteResourceDataSyncCommand,
  ListResourceDataSyncCommand,
  SSMClient,
  type ResourceDataSyncItem,
} from '@aws-sdk/client-ssm';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../lambda/org-sync/handler.js';
import {
  createSync,
  deleteSync,
  listSyncs,
  SYNC_CLIENT_CONFIG,
  SyncLimitError,
} from '../lambda/org-sync/organization-sync.js';

const ssm = mockClient(SSMClient);

const props = {
  SyncName: 'patchboard-organization-sync',
  BucketName: 'patchboard-sync-111122223333',
  BucketRegion: 'eu-west-1',
  BucketPrefix: 'inventory',
  KmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
};

const item = (name: string, organization: boolean, bucket = props.BucketName): ResourceDataSyncItem => ({
  SyncName: name,
  SyncType: 'SyncToDestination',
  S3Destination: {
    BucketName: bucket,
    Region: props.BucketRegion,
    Prefix: props.BucketPrefix,
    SyncFormat: 'JsonSerDe',
    AWSKMSKeyARN: props.KmsKeyArn,
    ...(organization ? { DestinationDataSharing: { DestinationDataSharingType: 'Organization' } } : {}),
  },
});

const expectedCreate = {
  SyncName: props.SyncName,
  SyncType: 'SyncToDestination',
  S3Destination: {
    BucketName: props.BucketName,
    Prefix: 'inventory',
    SyncFormat: 'JsonSerDe',
    Region: 'eu-west-1',
    AWSKMSKeyARN: props.KmsKeyArn,
    DestinationDataSharing: { DestinationDataSharingType: 'Organization' },
  },
};

beforeEach(() => {
  ssm.reset();
});

describe('listSyncs', () => {
  it('reads every page of ListResourceDataSync, passing the NextToken on', async () => {
    ssm
      .on(ListResourceDataSyncCommand)
      .resolvesOnce({ ResourceDataSyncItems: [item('a', false)], NextToken: 't1' })
      .resolvesOnce({ ResourceDataSyncItems: [item('b', false)], NextToken: 't2' })
      .resolvesOnce({ ResourceDataSyncItems: [item('c', true)] });
    const names = (await listSyncs(new SSMClient({}))).map((s) => s.SyncName);
    expect(names).toEqual(['a', 'b', 'c']);
    const calls = ssm.commandCalls(ListResourceDataSyncCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { SyncType: 'SyncToDestination', MaxResults: 50 },
      { SyncType: 'SyncToDestination', MaxResults: 50, NextToken: 't1' },
      { SyncType: 'SyncToDestination', MaxResults: 50, NextToken: 't2' },
    ]);
  });
});

/**
 * A real SSM client as the handler makes it, with only the network replaced: the SDK's retry middleware runs
 * (mockClient would bypass it). Each request gets the next answer; a `null` answer is a ThrottlingException.
 */
function realClient(answers: (object | null)[]) {
  const bodies: { NextToken?: string }[] = [];
  const requestHandler = {
    handle: async (request: { body: string }) => {
      bodies.push(JSON.parse(request.body) as { NextToken?: string });
      const answer = answers[bodies.length - 1] ?? null;
      return {
        response: {
          statusCode: answer === null ? 400 : 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([
            Buffer.from(
              JSON.stringify(answer ?? { __type: 'ThrottlingException', message: 'Rate exceeded' }),
            ),
          ]),
        },
      };
    },
  };
  const client = new SSMClient({
    ...SYNC_CLIENT_CONFIG,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    requestHandler,
  });
  return { client, bodies };
}

describe('listSyncs under throttling', () => {
  beforeEach(() => {
    ssm.restore();
    return () => {
      ssm.restore();
    };
  });

  it('the handler’s client retries a throttled page with the same NextToken, losing no page', async () => {
    const { client, bodies } = realClient([
      { ResourceDataSyncItems: [item('a', false)], NextToken: 't1' },
      null,
      null,
      { ResourceDataSyncItems: [item('b', true)] },
    ]);
    expect(await client.config.maxAttempts()).toBe(8);
    expect(await client.config.retryStrategy()).toHaveProperty('mode', 'adaptive');
    expect((await listSyncs(client)).map((s) => s.SyncName)).toEqual(['a', 'b']);
    expect(bodies.map((b) => b.NextToken)).toEqual([undefined, 't1', 't1', 't1']);
    client.destroy();
  });
});

describe('createSync', () => {
  it('creates the organisation sync with JsonSerDe, prefix, bucket Region and Organization sharing', async () => {
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [item('other', false)] });
    ssm.on(CreateResourceDataSyncCommand).resolves({});
    await expect(createSync(new SSMClient({}), props)).resolves.toBe('created');
    expect(ssm.commandCalls(CreateResourceDataSyncCommand).map((c) => c.args[0].input)).toEqual([
      expectedCreate,
    ]);
  });

  it('is idempotent: the same sync to the same destination is left alone', async () => {
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [item(props.SyncName, true)] });
    await expect(createSync(new SSMClient({}), props)).resolves.toBe('unchanged');
    expect(ssm.commandCalls(CreateResourceDataSyncCommand)).toHaveLength(0);
    expect(ssm.commandCalls(DeleteResourceDataSyncCommand)).toHaveLength(0);
  });

  it('replaces (delete + create) a sync of the same name pointing elsewhere', async () => {
    ssm
      .on(ListResourceDataSyncCommand)
      .resolves({ ResourceDataSyncItems: [item(props.SyncName, true, 'old-bucket')] });
    ssm.on(DeleteResourceDataSyncCommand).resolves({});
    ssm.on(CreateResourceDataSyncCommand).resolves({});
    await expect(createSync(new SSMClient({}), props)).resolves.toBe('replaced');
    expect(ssm.commandCalls(DeleteResourceDataSyncCommand)[0]?.args[0].input).toEqual({
      SyncName: props.SyncName,
      SyncType: 'SyncToDestination',
    });
    expect(ssm.commandCalls(CreateResourceDataSyncCommand).map((c) => c.args[0].input)).toEqual([
      expectedCreate,
    ]);
  });

  it('fails clearly when the account already has another organisation sync, changing nothing', async () => {
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [item('legacy-org-sync', true)] });
    const error = await createSync(new SSMClient({}), props).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncLimitError);
    expect((error as Error).message).toContain('already has its one organisation resource data sync');
    expect((error as Error).message).toContain('"legacy-org-sync"');
    expect(ssm.commandCalls(CreateResourceDataSyncCommand)).toHaveLength(0);
  });

  it('fails clearly at the five-sync limit, naming the syncs, found across pages', async () => {
    ssm
      .on(ListResourceDataSyncCommand)
      .resolvesOnce({
        ResourceDataSyncItems: [item('s1', false), item('s2', false), item('s3', false)],
        NextToken: 'n',
      })
      .resolvesOnce({ ResourceDataSyncItems: [item('s4', false), item('s5', false)] });
    const error = await createSync(new SSMClient({}), props).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncLimitError);
    expect((error as Error).message).toBe(
      'This account already has 5 resource data syncs in this Region (s1, s2, s3, s4, s5); SSM allows 5. Delete one it no longer needs, then retry the stack instance.',
    );
    expect(ssm.commandCalls(CreateResourceDataSyncCommand)).toHaveLength(0);
  });
});

describe('deleteSync', () => {
  it('tolerates a sync that is already gone', async () => {
    ssm
      .on(DeleteResourceDataSyncCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceDataSyncNotFoundException' }));
    await expect(deleteSync(new SSMClient({}), 'gone')).resolves.toBe('absent');
  });

  it('passes any other error on', async () => {
    ssm
      .on(DeleteResourceDataSyncCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(deleteSync(new SSMClient({}), 'x')).rejects.toThrow('denied');
  });
});

describe('handler (CloudFormation protocol)', () => {
  const base = {
    ResponseURL: 'https://cloudformation-custom-resource-response.example/put',
    StackId: 'arn:aws:cloudformation:eu-west-1:222233334444:stack/sync/1',
    RequestId: 'r1',
    LogicalResourceId: 'OrganizationSync',
    ResourceProperties: { ...props, ServiceToken: 'arn:aws:lambda:eu-west-1:222233334444:function:f' },
  };
  const answers = () => {
    const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
      Promise.resolve(new Response(null, { status: 200 })),
    );
    vi.stubGlobal('fetch', fetchMock);
    return () =>
      fetchMock.mock.calls.map(([url, init]) => ({
        url,
        method: init.method,
        body: JSON.parse(init.body as string) as Record<string, unknown>,
      }));
  };

  it('Create answers SUCCESS with the sync name as physical id', async () => {
    const sent = answers();
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [] });
    ssm.on(CreateResourceDataSyncCommand).resolves({});
    await handler({ ...base, RequestType: 'Create' });
    expect(sent()).toEqual([
      {
        url: base.ResponseURL,
        method: 'PUT',
        body: {
          Status: 'SUCCESS',
          Reason: 'OK',
          PhysicalResourceId: props.SyncName,
          StackId: base.StackId,
          RequestId: 'r1',
          LogicalResourceId: 'OrganizationSync',
          Data: { SyncName: props.SyncName, Outcome: 'created' },
        },
      },
    ]);
  });

  it('Create at the sync limit answers FAILED with the reason', async () => {
    const sent = answers();
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [item('legacy', true)] });
    await handler({ ...base, RequestType: 'Create' });
    const [answer] = sent();
    expect(answer?.body.Status).toBe('FAILED');
    expect(answer?.body.Reason).toContain('"legacy"');
    expect(answer?.body.PhysicalResourceId).toBe('OrganizationSync');
  });

  it('Update with a new name deletes the old sync first, then creates the new one', async () => {
    const sent = answers();
    ssm.on(DeleteResourceDataSyncCommand).resolves({});
    ssm.on(ListResourceDataSyncCommand).resolves({ ResourceDataSyncItems: [] });
    ssm.on(CreateResourceDataSyncCommand).resolves({});
    await handler({
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'old-name',
      OldResourceProperties: { ...props, SyncName: 'old-name' },
    });
    expect(ssm.commandCalls(DeleteResourceDataSyncCommand)[0]?.args[0].input.SyncName).toBe('old-name');
    expect(ssm.commandCalls(CreateResourceDataSyncCommand)).toHaveLength(1);
    expect(sent()[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: props.SyncName });
  });

  it('Update with a new bucket replaces the sync (delete + create)', async () => {
    answers();
    ssm
      .on(ListResourceDataSyncCommand)
      .resolves({ ResourceDataSyncItems: [item(props.SyncName, true, 'old-bucket')] });
    ssm.on(DeleteResourceDataSyncCommand).resolves({});
    ssm.on(CreateResourceDataSyncCommand).resolves({});
    await handler({
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: props.SyncName,
      OldResourceProperties: { ...props, BucketName: 'old-bucket' },
    });
    expect(ssm.commandCalls(DeleteResourceDataSyncCommand)).toHaveLength(1);
    expect(ssm.commandCalls(CreateResourceDataSyncCommand).map((c) => c.args[0].input)).toEqual([
      expectedCreate,
    ]);
  });

  it('Delete of a sync already gone answers SUCCESS', async () => {
    const sent = answers();
    ssm
      .on(DeleteResourceDataSyncCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceDataSyncNotFoundException' }));
    await handler({ ...base, RequestType: 'Delete', PhysicalResourceId: props.SyncName });
    expect(sent()[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: props.SyncName });
  });

  it('Delete after a failed Create touches nothing', async () => {
    const sent = answers();
    await handler({ ...base, RequestType: 'Delete', PhysicalResourceId: 'OrganizationSync' });
    expect(ssm.calls()).toHaveLength(0);
    expect(sent()[0]?.body.Status).toBe('SUCCESS');
  });
});
