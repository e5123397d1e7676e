import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { athenaSchema, CONFIG_SNAPSHOT_TABLE, renderViewDdl } from '@patchboard/engine-athena';
import { handler } from '../lambda/schema-views/handler.js';

const athena = mockClient(AthenaClient);
const location = 's3://patchboard-sync-123456789012-eu-west-1/inventory/';
const views = athenaSchema({ location }).views;

const event = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/put',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/reporting/1',
  RequestId: 'r1',
  LogicalResourceId: 'Views',
  PhysicalResourceId: 'patchboard-views',
  ResourceProperties: { Database: 'patchboard', Location: location, ServiceToken: 'arn:fn' },
});

const answers = () => {
  const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
    Promise.resolve(new Response(null, { status: 200 })),
  );
  vi.stubGlobal('fetch', fetchMock);
  return () =>
    fetchMock.mock.calls.map(([, init]) => JSON.parse(init.body as string) as Record<string, unknown>);
};

beforeEach(() => {
  athena.reset();
  process.env.ATHENA_WORKGROUP = 'patchboard';
});

describe('schema-views handler', () => {
  it('Create runs every view DDL in the schema order, in the workgroup and database, and answers SUCCESS', async () => {
    const sent = answers();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { QueryExecutionId: 'q', Status: { State: 'SUCCEEDED' }, StatementType: 'DDL' },
    });
    await handler(event('Create'));
    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.QueryString)).toEqual(views.map(renderViewDdl));
    expect(
      inputs.every((i) => i.WorkGroup === 'patchboard' && i.QueryExecutionContext?.Database === 'patchboard'),
    ).toBe(true);
    expect(sent()).toEqual([
      expect.objectContaining({
        Status: 'SUCCESS',
        PhysicalResourceId: 'patchboard-views',
        Data: { Views: String(views.length) },
      }),
    ]);
  });

  it('with a ConfigLocation, the EC2 views are created over the Config snapshots too', async () => {
    answers();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: 'q', Status: { State: 'SUCCEEDED' } } });
    const configLocation = 's3://patchboard-sync-123456789012-eu-west-1/AWSLogs/';
    const base = event('Create');
    await handler({
      ...base,
      ResourceProperties: { ...base.ResourceProperties, ConfigLocation: configLocation },
    });
    const sql = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
    const withConfig = athenaSchema({ location, configLocation }).views.map(renderViewDdl);
    expect(sql).toEqual(withConfig);
    // Not the default schema's DDL: the EC2 instance view reads the snapshot table.
    expect(sql).not.toEqual(views.map(renderViewDdl));
    expect(sql.find((q) => q?.includes('VIEW custom_patchboardec2instance'))).toContain(
      CONFIG_SNAPSHOT_TABLE,
    );
  });

  it('Delete drops the views in reverse order', async () => {
    answers();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: 'q', Status: { State: 'SUCCEEDED' } } });
    await handler(event('Delete'));
    const sql = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
    expect(sql).toEqual([...views].reverse().map((v) => `DROP VIEW IF EXISTS ${v.name}`));
  });

  it("a failed DDL answers FAILED with Athena's reason, and stops there", async () => {
    const sent = answers();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q',
        Status: { State: 'FAILED', StateChangeReason: 'line 1:8: mismatched input' },
      },
    });
    await handler(event('Update'));
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    const [answer] = sent();
    expect(answer?.Status).toBe('FAILED');
    expect(String(answer?.Reason)).toContain('mismatched input');
  });

  it('a throttled start is retried', async () => {
    answers();
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ QueryExecutionId: 'q' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: 'q', Status: { State: 'SUCCEEDED' } } });
    await handler(event('Create'));
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(views.length + 1);
  });
});
