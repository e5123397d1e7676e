import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { createHash } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  compileReport,
  INVENTORY_TYPES,
  monthWindow,
  PACK_SECTIONS,
  policySchema,
  trinoDialect,
  type CompiledQuery,
  type QueryResult,
} from '@patchboard/core';
import { createHandler, previousMonth, type DeliverySettings } from '../lambda/delivery/handler.js';
import { snapshotColumns } from '../lambda/delivery/snapshot.js';

const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const secrets = mockClient(SecretsManagerClient);

/** 2026-11-01T06:00:00Z: the monthly run for October. */
const NOW = Date.UTC(2026, 10, 1, 6, 0, 0);

const RESULT: QueryResult = {
  columns: [
    { name: 'node', type: 'string' },
    { name: 'missing', type: 'integer' },
  ],
  rows: [
    { node: 'i-0123456789abcdef0', missing: 3 },
    { node: '=cmd()', missing: 0 },
  ],
};

function fakeEngine() {
  const ran: CompiledQuery[] = [];
  const executed: string[] = [];
  let closed = 0;
  return {
    ran,
    executed,
    closed: () => closed,
    engine: {
      dialect: trinoDialect,
      // As the deployed Athena engine: the sync bucket's current objects, evaluated at the run.
      history: 'current-only' as const,
      run: (query: CompiledQuery) => {
        ran.push(query);
        return Promise.resolve(RESULT);
      },
      execute: (query: CompiledQuery) => {
        executed.push(query.sql);
        return Promise.resolve({});
      },
      close: () => {
        closed++;
        return Promise.resolve();
      },
    },
  };
}

const settings: DeliverySettings = {
  bucket: 'patchboard-packs',
  database: 'patchboard',
  workgroup: 'patchboard',
  from: 'patchboard@example.com',
  to: ['ops@example.com', 'audit@example.com'],
  slackSecret: 'patchboard/slack',
};

const setup = (overrides: Partial<DeliverySettings> = {}) => {
  const fake = fakeEngine();
  const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
    Promise.resolve(new Response('ok', { status: 200 })),
  );
  const handler = createHandler({
    settings: { ...settings, ...overrides },
    engine: () => fake.engine,
    s3: new S3Client({}),
    ses: new SESv2Client({}),
    secrets: new SecretsManagerClient({}),
    now: () => NOW,
    fetch: fetchMock as unknown as typeof fetch,
  });
  return { fake, fetchMock, handler };
};

beforeEach(() => {
  s3.reset();
  ses.reset();
  secrets.reset();
  s3.on(PutObjectCommand).resolves({});
  ses.on(SendEmailCommand).resolves({});
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: 'https://hooks.slack.com/services/T000/B000/XXXX' });
});

describe('months', () => {
  it('a run on the 1st reports on the month before, bounded in UTC', () => {
    expect(previousMonth(NOW)).toBe('2026-10');
    expect(previousMonth(Date.UTC(2027, 0, 1, 6))).toBe('2026-12');
    expect(monthWindow('2026-10', NOW)).toEqual({
      month: '2026-10',
      from: '2026-10-01T00:00:00Z',
      asOf: '2026-10-31T23:59:59Z',
      partial: false,
    });
  });
});

describe('monthly-pack', () => {
  it('runs every section as core compiles it, writes CSV + JSON + manifest to S3, e-mails and posts to Slack', async () => {
    const { fake, fetchMock, handler } = setup();
    const outcome = await handler({ task: 'monthly-pack' });

    const context = { policy: policySchema.parse({}), now: NOW, dialect: trinoDialect };
    const window = monthWindow('2026-10', NOW);
    expect(fake.ran).toEqual(
      PACK_SECTIONS.map((s) => compileReport(s.report, s.params(window, undefined), context).query),
    );
    expect(fake.closed()).toBe(1);

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const keys = puts.map((p) => p.Key);
    expect(keys).toEqual([
      ...PACK_SECTIONS.flatMap((s) => [`packs/2026-10/${s.file}.csv`, `packs/2026-10/${s.file}.json`]),
      'packs/2026-10/manifest.json',
    ]);
    expect(puts.every((p) => p.Bucket === 'patchboard-packs')).toBe(true);
    const summaryCsv = puts.find((p) => p.Key === 'packs/2026-10/summary.csv')?.Body as string;
    // Formula-looking cells are neutralised, as the CLI's CSV does.
    expect(summaryCsv).toBe("node,missing\r\ni-0123456789abcdef0,3\r\n'=cmd(),0\r\n");

    const manifest = JSON.parse(puts.at(-1)?.Body as string) as {
      month: string;
      dataCutOff: string;
      files: { path: string; bytes: number; sha256: string }[];
    };
    expect(manifest.month).toBe('2026-10');
    expect(manifest.dataCutOff).toBe('2026-11-01T06:00:00Z');
    expect(manifest.files).toHaveLength(PACK_SECTIONS.length * 2);
    for (const file of manifest.files) {
      const body = puts.find((p) => p.Key === `packs/2026-10/${file.path}`)?.Body as string;
      expect(file.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(file.bytes).toBe(Buffer.byteLength(body));
    }

    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.FromEmailAddress).toBe('patchboard@example.com');
    expect(mail?.Destination?.ToAddresses).toEqual(['ops@example.com', 'audit@example.com']);
    expect(mail?.Content?.Simple?.Subject?.Data).toBe('Patchboard audit pack 2026-10');
    expect(mail?.Content?.Simple?.Body?.Text?.Data).toContain('s3://patchboard-packs/packs/2026-10/');
    expect(mail?.Content?.Simple?.Body?.Text?.Data).toContain('- summary: 2 row(s)');

    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'patchboard/slack',
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('https://hooks.slack.com/services/T000/B000/XXXX');
    expect(JSON.parse(init?.body as string)).toEqual({ text: mail?.Content?.Simple?.Body?.Text?.Data });
    expect(outcome).toMatchObject({ month: '2026-10', sent: ['email', 'slack'] });
  });

  it('skips e-mail and Slack when they are not configured', async () => {
    const { fetchMock, handler } = setup({ from: undefined, to: [], slackSecret: undefined });
    const outcome = await handler({ task: 'monthly-pack', month: '2026-09' });
    expect(ses.calls()).toHaveLength(0);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ month: '2026-09', sent: [] });
  });

  it('refuses a secret that is not a Slack webhook URL, after the pack is written', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'not-a-url' });
    const { handler, fake } = setup();
    await expect(handler({ task: 'monthly-pack' })).rejects.toThrow(
      'does not hold a Slack incoming-webhook URL',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(PACK_SECTIONS.length * 2 + 1);
    expect(fake.closed()).toBe(1);
  });
});

describe('daily-snapshot', () => {
  it('UNLOADs every inventory view, instants cast to UTC timestamp(3), to its day prefix, clearing an earlier run of the same day first', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(ListObjectsV2Command, { Prefix: 'history/aws_complianceitem/snapshot_date=2026-11-01/' })
      .resolvesOnce({
        Contents: [{ Key: 'history/aws_complianceitem/snapshot_date=2026-11-01/old.parquet' }],
      })
      .resolves({ Contents: [] });
    s3.on(DeleteObjectsCommand).resolves({});
    const { fake, handler } = setup();
    const outcome = await handler({ task: 'daily-snapshot' });
    expect(fake.executed).toEqual(
      INVENTORY_TYPES.map(
        (t) =>
          `UNLOAD (SELECT ${snapshotColumns(t)} FROM ${t.table}) TO 's3://patchboard-packs/history/${t.table}/snapshot_date=2026-11-01/' WITH (format = 'PARQUET', compression = 'ZSTD')`,
      ),
    );
    // Athena cannot write timestamp(3) with time zone to Parquet: every instant goes out as a UTC timestamp(3).
    const compliance = fake.executed.find((sql) => sql.includes('FROM aws_complianceitem)'))!;
    expect(compliance).toMatch(/^UNLOAD \(SELECT accountid, region, resourcetype, resourceid, /);
    expect(compliance).toContain("CAST(executiontime AT TIME ZONE 'UTC' AS timestamp(3)) AS executiontime");
    expect(compliance).toContain("CAST(installedtime AT TIME ZONE 'UTC' AS timestamp(3)) AS installedtime");
    expect(fake.executed.join('\n')).not.toContain('SELECT *');
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'patchboard-packs',
        Delete: {
          Objects: [{ Key: 'history/aws_complianceitem/snapshot_date=2026-11-01/old.parquet' }],
          Quiet: true,
        },
      },
    ]);
    expect(outcome).toMatchObject({ day: '2026-11-01' });
  });

  it('an unknown task fails with what was expected', async () => {
    const { handler } = setup();
    await expect(handler({ task: 'weekly' as never })).rejects.toThrow(
      'expected "monthly-pack" or "daily-snapshot"',
    );
  });
});
