/**
 * The Athena views compute the same tables as the DuckDB ingest. Athena cannot run here, so the schema is run on
 * DuckDB as Athena would read the bucket: each `*_json` table is filled as the OpenX JSON SerDe reads the
 * objects (keys lower-cased, `mapping.` properties applied, every value as text, `"$path"` beside it), and the
 * views' SQL runs with the few Trino functions DuckDB spells differently translated. Every catalogue report
 * must then give the same rows on these views as on the ingested database.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  compileReport,
  DEFAULT_POLICY,
  duckdbDialect,
  findReport,
  HISTORY_TABLES,
  TIME_LOGS,
  INVENTORY_TYPES,
  parseBucketKey,
  runsOn,
} from '@patchboard/core';
import { athenaSchema, CONFIG_SNAPSHOT_TABLE } from '@patchboard/engine-athena';
import {
  compactToParquet,
  DuckDbQueryEngine,
  ingest,
  openDatabase,
  type OpenedDatabase,
} from '@patchboard/engine-duckdb';
import { generateFleet, readTruth, type TruthNode } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCases } from '../../engine-athena/test/report-variants.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
const BUCKET = 's3://emulated-sync-bucket/ssm';
const CONFIG_ROOT = 's3://emulated-sync-bucket/';
let dir: string;
let ingested: DuckDbQueryEngine;
let emulated: DuckDbQueryEngine;
let emulatedParquet: DuckDbQueryEngine;

/** Trino spellings DuckDB lacks or reads differently, for this test only. */
function asDuckDb(viewSql: string): string {
  return viewSql
    .replaceAll('regexp_extract(', 'trino_regexp_extract(')
    .replaceAll("'$1T'", "'\\1T'")
    .replaceAll("'[\\s_-]', '')", "'[\\s_-]', '', 'g')")
    .replaceAll('timestamp(3) with time zone', 'TIMESTAMPTZ')
    .replaceAll(" AT TIME ZONE 'UTC'", '')
    .replaceAll('array(map(varchar, varchar))', 'STRUCT(key VARCHAR, value VARCHAR)[]')
    .replaceAll("element_at(t.tag, 'key')", 't.tag.key')
    .replaceAll("element_at(t.tag, 'value')", 't.tag.value');
}

/** What the OpenX SerDe hands Athena for a Config snapshot: one row, items as structs, nested objects as text. */
const CONFIG_ITEM_TYPE = `STRUCT(configurationitemcapturetime VARCHAR, awsaccountid VARCHAR, awsregion VARCHAR,
  resourcetype VARCHAR, resourceid VARCHAR, configuration VARCHAR)[]`;
async function loadConfigSnapshots(db: OpenedDatabase, bucketRoot: string): Promise<void> {
  const c = db.connection;
  await c.run(`CREATE TABLE ${CONFIG_SNAPSHOT_TABLE} (fileversion VARCHAR, configsnapshotid VARCHAR,
    configurationitems ${CONFIG_ITEM_TYPE}, "$path" VARCHAR)`);
  for await (const object of new LocalFolderSource(bucketRoot).list()) {
    if (!object.key.includes('/ConfigSnapshot/')) continue;
    const document = JSON.parse(
      gunzipSync(await readFile(join(bucketRoot, ...object.key.split('/')))).toString(),
    ) as {
      fileVersion: string;
      configSnapshotId: string;
      configurationItems: Record<string, unknown>[];
    };
    const items = document.configurationItems.map((item) => ({
      configurationitemcapturetime: item.configurationItemCaptureTime,
      awsaccountid: item.awsAccountId,
      awsregion: item.awsRegion,
      resourcetype: item.resourceType,
      resourceid: item.resourceId,
      configuration: item.configuration === undefined ? null : JSON.stringify(item.configuration),
    }));
    await c.run(
      `INSERT INTO ${CONFIG_SNAPSHOT_TABLE} SELECT ?, ?, CAST(CAST(? AS JSON) AS ${CONFIG_ITEM_TYPE}), ?`,
      [document.fileVersion, document.configSnapshotId, JSON.stringify(items), `${CONFIG_ROOT}${object.key}`],
    );
  }
}

/** What the OpenX JSON SerDe hands Athena for one object: a row of text per line, NULL for absent keys. */
function serdeRows(
  text: string,
  columns: readonly string[],
  mappings: Record<string, string>,
): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue; // ignore.malformed.json
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v as unknown]));
    rows.push(
      columns.map((column) => {
        const value = lower.get(mappings[`mapping.${column}`] ?? column);
        if (value === null || value === undefined) return null;
        return typeof value === 'string' ? value : JSON.stringify(value);
      }),
    );
  }
  return rows;
}

/** Replaces the ingest's tables with the names the views take, and adds the Trino functions they call. */
async function makeRoomForViews(db: OpenedDatabase): Promise<void> {
  const c = db.connection;
  await c.run(`CREATE OR REPLACE MACRO trino_regexp_extract(s, p, g) AS nullif(regexp_extract(s, p, g), '')`);
  await c.run(`CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`);
  for (const type of INVENTORY_TYPES) {
    await c.run(`DROP TABLE ${type.table}`);
    await c.run(`DROP TABLE ${type.table}_history`);
  }
  await c.run('DROP TABLE history_observations');
  for (const log of TIME_LOGS) await c.run(`DROP TABLE ${log.table}`);
}

/** Compacted Parquet as Athena reads it: the files' columns, and `"$path"`; account and Region only in it. */
async function loadParquetAsAthena(db: OpenedDatabase, root: string): Promise<void> {
  const schema = athenaSchema({ location: BUCKET, format: 'parquet' });
  await makeRoomForViews(db);
  for (const table of schema.tables) {
    const folder = join(root, table.name.replace(/_parquet$/, ''));
    const columns = table.columns.map((col) => col.name).join(', ');
    const hasFiles = await readdir(folder).then(
      () => true,
      () => false,
    );
    await db.connection.run(
      hasFiles
        ? `CREATE TABLE ${table.name} AS SELECT ${columns}, filename AS "$path"
           FROM read_parquet('${folder}/**/*.parquet', filename = true, hive_partitioning = false)`
        : `CREATE TABLE ${table.name} AS SELECT * FROM (SELECT ${table.columns
            .map(
              (col) =>
                `CAST(NULL AS ${col.type === 'bigint' ? 'BIGINT' : col.type === 'timestamp' ? 'TIMESTAMPTZ' : 'VARCHAR'}) AS ${col.name}`,
            )
            .join(', ')}, CAST(NULL AS VARCHAR) AS "$path") WHERE false`,
    );
  }
  for (const view of schema.views) {
    const query = asDuckDb(view.query).replace(/with_timezone\((r\.\w+), 'UTC'\)/g, '$1');
    await db.connection.run(`CREATE VIEW ${view.name} AS ${query}`);
  }
}

async function loadAsAthena(db: OpenedDatabase, bucket: string, bucketRoot: string): Promise<void> {
  const schema = athenaSchema({ location: BUCKET, configLocation: `${CONFIG_ROOT}AWSLogs/` });
  const c = db.connection;
  // The ingest's tables give way to the views of the same names.
  await makeRoomForViews(db);
  const objects = [];
  for await (const object of new LocalFolderSource(bucket).list()) objects.push(object);
  await c.run(`CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`);
  await loadConfigSnapshots(db, bucketRoot);
  for (const table of schema.tables) {
    const typeName = table.tableProperties['patchboard.inventory_type'];
    if (typeName === undefined) continue;
    await c.run(
      `CREATE TABLE ${table.name} (${table.columns.map((col) => `${col.name} VARCHAR`).join(', ')}, "$path" VARCHAR)`,
    );
    const appender = await c.createAppender(table.name);
    for (const object of objects) {
      // Athena reads every object under the type's folder, the sync's test.json probe included.
      if (!object.key.includes(`${typeName}/`)) continue;
      const text = await readFile(join(bucket, ...object.key.split('/')), 'utf8');
      for (const row of serdeRows(
        text,
        table.columns.map((col) => col.name),
        table.serdeProperties,
      )) {
        for (const value of row) {
          if (value === null) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.appendVarchar(`${BUCKET}/${object.key.replace(/^ssm\//, '')}`);
        appender.endRow();
      }
    }
    appender.closeSync();
  }
  for (const view of schema.views) await c.run(`CREATE VIEW ${view.name} AS ${asDuckDb(view.query)}`);
}

/**
 * Hand-written AWS Config snapshots beside the generated ones: for one account and Region, an older snapshot and
 * the newest, listing two managed nodes, an instance without an agent, a stopped one, and items Config would
 * never write. The ingest and the views must read the same instances.
 */
async function writeConfigSnapshots(bucket: string, truth: readonly TruthNode[]): Promise<void> {
  const managed = truth.filter((n) => n.nodeId.startsWith('i-')).slice(0, 2);
  const { accountId, region } = managed[0]!;
  const item = (id: string, state: string, tags: Record<string, string>, account = accountId) => ({
    configurationItemCaptureTime: '2026-10-30T08:00:00.000Z',
    awsAccountId: account,
    awsRegion: region,
    resourceType: 'AWS::EC2::Instance',
    resourceId: id,
    configurationItemStatus: 'OK',
    tags,
    configuration: {
      instanceId: id,
      instanceType: 'm5.large',
      imageId: 'ami-0123456789abcdef0',
      launchTime: '2026-09-01T10:00:00.000Z',
      platformDetails: 'Linux/UNIX',
      state: { code: state === 'running' ? 16 : 80, name: state },
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
  });
  const verdict = (id: string, compliance: string) => ({
    resourceType: 'AWS::Config::ResourceCompliance',
    resourceId: `AWS::EC2::Instance/${id}`,
    configurationItemCaptureTime: '2026-10-30T08:00:00.000Z',
    awsAccountId: accountId,
    awsRegion: region,
    configuration: {
      targetResourceId: id,
      targetResourceType: 'AWS::EC2::Instance',
      configRuleList: [
        { configRuleName: 'ec2-instance-managed-by-systems-manager', complianceType: compliance },
      ],
    },
  });
  const write = async (stamp: string, items: unknown[]) => {
    const folder = join(bucket, 'AWSLogs', accountId, 'Config', region, '2026', '10', '31', 'ConfigSnapshot');
    await mkdir(folder, { recursive: true });
    const name = `${accountId}_Config_${region}_ConfigSnapshot_${stamp}_6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f.json.gz`;
    const document = { fileVersion: '1.0', configSnapshotId: stamp, configurationItems: items };
    await writeFile(join(folder, name), gzipSync(JSON.stringify(document)));
  };
  await write('20261030T030000Z', [item('i-0f0f0f0f0f0f0f0f0', 'running', {})]);
  // Delivered after the generator's snapshot of the day, so it is the newest of its account and Region.
  await write('20261031T235900Z', [
    ...managed.map((n) => item(n.nodeId, 'running', { Team: 'from-ec2' })),
    item('i-0aaaabbbbccccdddd', 'running', { Name: '=cmd|calc', Team: 'payments', Environment: 'prod' }),
    item('i-0eeeeffff00001111', 'stopped', { Team: 'payments' }),
    verdict(managed[0]!.nodeId, 'COMPLIANT'),
    verdict('i-0aaaabbbbccccdddd', 'NON_COMPLIANT'),
    item('i-0aaaabbbbccccdddd', 'stopped', {}),
    item('not-an-instance', 'running', {}),
    item('i-0999999999999999a', 'running', {}, '999999999999'),
  ]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-athena-views-'));
  // With AWS Config snapshots of every account and Region: 12.5 % of the instances have no agent.
  await generateFleet({
    outDir: dir,
    nodes: 400,
    accounts: 3,
    regions: 2,
    seed: 41,
    at: AT,
    prefix: 'ssm',
    unmanagedPct: 12.5,
  });
  const bucket = join(dir, 'bucket');
  await writeConfigSnapshots(bucket, (await readTruth(dir)).nodes);
  const reference = await openDatabase(join(dir, 'ingested.duckdb'));
  // Three items of the newest Config snapshot are not what Config writes (a repeat, a bad id, another
  // account); they are reported and skipped.
  expect((await ingest(reference.connection, new LocalFolderSource(bucket))).errors).toBe(3);
  ingested = new DuckDbQueryEngine(reference);
  const athenaLike = await openDatabase(join(dir, 'athena-like.duckdb'));
  await loadAsAthena(athenaLike, join(bucket, 'ssm'), bucket);
  emulated = new DuckDbQueryEngine(athenaLike);
  await compactToParquet(reference.connection, join(dir, 'parquet'));
  const parquetLike = await openDatabase(join(dir, 'athena-parquet.duckdb'));
  await loadParquetAsAthena(parquetLike, join(dir, 'parquet'));
  emulatedParquet = new DuckDbQueryEngine(parquetLike);
}, 300_000);
afterAll(async () => {
  await ingested.close();
  await emulated.close();
  await emulatedParquet.close();
  await rm(dir, { recursive: true, force: true });
});

const context = { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: duckdbDialect };
const cases = reportCases({
  'cve-evidence': { default: { from: '2026-01-01T00:00:00Z' } },
  'node-compliance': { default: {}, team: { team: 'payments' } },
  // The recipe's queries take 20 rows in no order, so two correct engines may pick different ones.
}).filter((c) => runsOn(findReport(c.id), 'athena') && !c.id.startsWith('recipe-'));

describe('the Athena views over the bucket equal the ingested tables', () => {
  it('every inventory table has the same rows', async () => {
    for (const type of INVENTORY_TYPES) {
      const all = `SELECT * FROM ${type.table} ORDER BY ALL`;
      const expected = await ingested.run({ sql: all, parameters: [] });
      const actual = await emulated.run({ sql: all, parameters: [] });
      expect(actual.rows.length, type.table).toBe(expected.rows.length);
      expect(actual.rows, type.table).toEqual(expected.rows);
    }
  });

  it('InstanceInformation keeps the body’s ResourceType apart from the key path’s', async () => {
    const sql = `SELECT DISTINCT resourcetype, instanceresourcetype FROM aws_instanceinformation ORDER BY ALL`;
    const rows = (await emulated.run({ sql, parameters: [] })).rows;
    expect(rows.map((r) => r.resourcetype)).toEqual(rows.map(() => 'ManagedInstanceInventory'));
    expect(new Set(rows.map((r) => r.instanceresourcetype))).toEqual(
      new Set(['EC2Instance', 'ManagedInstance']),
    );
  });

  it.each(cases)('$id ($variant)', async ({ id, params }) => {
    const query = compileReport(id, params, context).query;
    const expected = await ingested.run(query);
    const actual = await emulated.run(query);
    expect(actual.rows).toEqual(expected.rows);
  });

  it('AWS Config snapshots give the same instance list: one UNMANAGED, one stopped INACTIVE', async () => {
    const query = compileReport('node-compliance', {}, context).query;
    const rows = (await emulated.run(query)).rows.filter((r) =>
      ['i-0aaaabbbbccccdddd', 'i-0eeeeffff00001111', 'i-0f0f0f0f0f0f0f0f0'].includes(r.node_id as string),
    );
    expect(rows.map((r) => [r.node_id, r.status, r.team, r.name])).toEqual([
      ['i-0aaaabbbbccccdddd', 'UNMANAGED', 'payments', '=cmd|calc'],
      ['i-0eeeeffff00001111', 'INACTIVE', 'payments', null],
    ]);
    const summary = (await emulated.run(compileReport('fleet-summary', {}, context).query)).rows[0]!;
    // The generated snapshots of the other accounts and Regions list their instances without an agent too.
    expect(summary.unmanaged).toBeGreaterThan(20);
    const unmanaged = summary.unmanaged as number;
    expect(summary.coverage_pct).toBe(
      Math.round((1000 * ((summary.active as number) - unmanaged)) / (summary.active as number)) / 10,
    );
  });

  it('the history views hold one observation per object that has rows', async () => {
    // An empty object has no rows for Athena to see; the DuckDB ingest observes it all the same.
    const withRows = `SELECT count(*) AS n FROM history_observations o WHERE type_name = 'AWS:ComplianceItem'
      AND EXISTS (SELECT 1 FROM aws_complianceitem c WHERE c.accountid = o.accountid AND c.region = o.region
        AND c.resourcetype = o.resourcetype AND c.resourceid = o.resourceid)`;
    const all = `SELECT count(*) AS n FROM history_observations WHERE type_name = 'AWS:ComplianceItem'`;
    const expected = (await ingested.run({ sql: withRows, parameters: [] })).rows;
    expect((await emulated.run({ sql: all, parameters: [] })).rows).toEqual(expected);
    expect(expected[0]?.n).toBeGreaterThan(0);
  });
});

describe('the Athena views over compacted Parquet equal the ingested tables', () => {
  it('every inventory table has the same rows', async () => {
    for (const type of INVENTORY_TYPES) {
      const all = `SELECT * FROM ${type.table} ORDER BY ALL`;
      const expected = await ingested.run({ sql: all, parameters: [] });
      expect((await emulatedParquet.run({ sql: all, parameters: [] })).rows, type.table).toEqual(
        expected.rows,
      );
    }
  });

  it('every history table has the same rows, so looking back works on Athena too', async () => {
    for (const table of HISTORY_TABLES) {
      const all = `SELECT * FROM ${table.name} ORDER BY ALL`;
      const expected = await ingested.run({ sql: all, parameters: [] });
      // The generator writes no patch catalogue; everything looking back reads the others.
      if (!table.name.startsWith('custom_')) expect(expected.rows.length, table.name).toBeGreaterThan(0);
      expect((await emulatedParquet.run({ sql: all, parameters: [] })).rows, table.name).toEqual(
        expected.rows,
      );
    }
  });

  it.each(['fleet-summary', 'missing-patches', 'cve-evidence'])('%s', async (id) => {
    const params = id === 'cve-evidence' ? { from: '2026-01-01T00:00:00Z' } : {};
    const query = compileReport(id, params, context).query;
    expect((await emulatedParquet.run(query)).rows).toEqual((await ingested.run(query)).rows);
  });
});

// The bucket key parser and the views' path pattern agree on what is a node's object.
it('the views accept exactly the keys parseBucketKey accepts', () => {
  const pattern =
    /\/(?:AWS|Custom):[^/]+\/accountid=(\d{12})\/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})\/resourcetype=([A-Za-z][A-Za-z0-9]*)\/([A-Za-z0-9_.-]+)\.json$/;
  const keys = [
    'AWS:Tag/accountid=111111111111/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0a1.json',
    'AWS:InstanceInformation/accountid=111111111111/test.json',
    'AWS:Tag/accountid=11111111111/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0a1.json',
    'AWS:Tag/accountid=111111111111/region=useast1/resourcetype=ManagedInstanceInventory/i-0a1.json',
    'AWS:Tag/accountid=111111111111/region=us-east-1/resourcetype=ManagedInstanceInventory/notes.txt',
  ];
  for (const key of keys) {
    const viaView = pattern.exec(`/${key}`);
    const node = viaView?.[4];
    const accepted = Boolean(viaView) && node !== 'test' && !node?.startsWith('.');
    expect(accepted, key).toBe(parseBucketKey(key) !== undefined);
  }
});
