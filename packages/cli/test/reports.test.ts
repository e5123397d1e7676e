/**
 * Every catalogue report and every recipe query on a generated fleet, each number checked against the
 * generator's ground truth (computed by the generator from its own model, not by Patchboard).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileReport,
  DEFAULT_POLICY,
  evaluateNodeStatus,
  nodeFactsCte,
  parseIsoInstant,
  type QueryEngine,
  REPORTS,
  reportParameterNames,
  type ResultRow,
  sql,
} from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readTruth, type TruthNode } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
let dir: string;
let engine: QueryEngine;
let truth: TruthNode[];
const context = () => ({ policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect });
const report = async (id: string, params: Record<string, unknown> = {}) =>
  (await engine.run(compileReport(id, params, context()).query)).rows;

const active = (n: TruthNode) => n.status !== 'INACTIVE';
const pct = (compliant: number, activeCount: number) => Math.round((1000 * compliant) / activeCount) / 10;
function countBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
const statusCounts = (nodes: TruthNode[]) => ({
  compliant: nodes.filter((n) => n.status === 'COMPLIANT').length,
  non_compliant: nodes.filter((n) => n.status === 'NON_COMPLIANT').length,
  stale: nodes.filter((n) => n.status === 'STALE').length,
  not_scanned: nodes.filter((n) => n.status === 'NOT_SCANNED').length,
  unmanaged: nodes.filter((n) => n.status === 'UNMANAGED').length,
  compliance_pct: pct(nodes.filter((n) => n.status === 'COMPLIANT').length, nodes.filter(active).length),
  coverage_pct: nodes.some((n) => n.instanceState !== null)
    ? pct(nodes.filter((n) => active(n) && n.status !== 'UNMANAGED').length, nodes.filter(active).length)
    : null,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-reports-'));
  await generateFleet({
    outDir: dir,
    nodes: 1200,
    accounts: 3,
    regions: 2,
    seed: 11,
    at: AT,
    prefix: 'ssm-inventory',
    // Instances without an agent, known from AWS Config: every report below must count them as the truth does.
    unmanagedPct: 12.5,
  });
  truth = (await readTruth(dir)).nodes;
  const db = await openDatabase(join(dir, 'p.duckdb'));
  engine = new DuckDbQueryEngine(db);
  const summary = await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')));
  expect(summary.errors).toBe(0);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reports against the ground truth', () => {
  it('fleet-summary', async () => {
    expect(await report('fleet-summary')).toEqual([
      {
        nodes: truth.length,
        active: truth.filter(active).length,
        inactive: truth.filter((n) => !active(n)).length,
        ...statusCounts(truth),
      },
    ]);
  });

  it.each([
    ['account', 'account_id', (n: TruthNode) => n.accountId],
    ['region', 'region', (n: TruthNode) => n.region],
    ['platform', 'platform', (n: TruthNode) => n.platformName],
  ] as const)('fleet-summary grouped by %s', async (groupBy, column, key) => {
    const expected = [...countBy(truth, key)]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([value, nodes]) => ({
        [column]: value,
        nodes: nodes.length,
        active: nodes.filter(active).length,
        inactive: nodes.filter((n) => !active(n)).length,
        ...statusCounts(nodes),
      }));
    expect(await report('fleet-summary', { 'group-by': groupBy })).toEqual(expected);
  });

  it('node-compliance: one row per node, equal to the truth', async () => {
    const rows = await report('node-compliance');
    const expected = [...truth]
      .sort((a, b) => (a.accountId + a.region + a.nodeId < b.accountId + b.region + b.nodeId ? -1 : 1))
      .map((n) => ({
        account_id: n.accountId,
        region: n.region,
        node_id: n.nodeId,
        name: n.name,
        platform: n.platformName,
        instance_status: n.instanceStatus,
        team: n.team ?? '(untagged)',
        environment: n.environment ?? '(untagged)',
        patch_group: n.patchGroup,
        baseline_id: n.baselineId,
        status: n.status,
        missing_count: n.missing,
        failed_count: n.failed,
        pending_reboot_count: n.pendingReboot,
        critical_noncompliant_count: n.criticalNonCompliant,
        highest_severity: n.highestSeverity,
        last_scan_time: n.lastScanTime,
      }));
    expect(rows).toEqual(expected);
  });

  it('the SQL status equals the pure evaluation for every node', async () => {
    const facts = await engine.run(sql`WITH ${nodeFactsCte(context())} SELECT * FROM node_facts`.compile());
    expect(facts.rows.length).toBe(truth.length);
    for (const row of facts.rows) {
      const evaluated = evaluateNodeStatus(
        {
          instanceStatus: row.instance_status as string | null,
          hasPatchData: row.has_patch_data as boolean,
          nonCompliantCount:
            (row.missing_count as number) +
            (row.failed_count as number) +
            (row.pending_reboot_count as number) +
            (row.installed_rejected_count as number),
          lastScanTime: row.last_scan_time === null ? null : parseIsoInstant(row.last_scan_time as string)!,
          instanceState: row.instance_state as string | null,
          agentReportTime:
            row.agent_report_time === null ? null : parseIsoInstant(row.agent_report_time as string)!,
        },
        DEFAULT_POLICY,
        Date.parse(AT),
      );
      expect(row.status, `${String(row.node_id)}`).toBe(evaluated);
    }
  });

  it('team-environment: active nodes per team and environment', async () => {
    const expected = [
      ...countBy(
        truth.filter(active),
        (n) => `${n.team ?? '(untagged)'}\u0000${n.environment ?? '(untagged)'}`,
      ),
    ]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, nodes]) => {
        const [team, environment] = key.split('\u0000');
        const unmanaged = nodes
          .filter((n) => n.status === 'UNMANAGED')
          .map((n) => (n.name === null ? n.nodeId : `${n.nodeId} (${n.name})`))
          .sort();
        return {
          team,
          environment,
          nodes: nodes.length,
          ...statusCounts(nodes),
          unmanaged_instances: unmanaged.length === 0 ? null : unmanaged.join(', '),
        };
      });
    expect(await report('team-environment')).toEqual(expected);
  });

  it('missing-patches: nodes per patch over active nodes', async () => {
    const expected = new Map<string, number>();
    for (const n of truth.filter(active))
      for (const id of n.nonCompliantPatchIds) expected.set(id, (expected.get(id) ?? 0) + 1);
    const actual = new Map<string, number>();
    for (const row of await report('missing-patches')) {
      actual.set(
        row.patch_id as string,
        (actual.get(row.patch_id as string) ?? 0) + (row.node_count as number),
      );
    }
    expect(actual).toEqual(expected);
    const critical = await report('missing-patches', { severity: 'CRITICAL' });
    expect(critical.reduce((sum, r) => sum + (r.node_count as number), 0)).toBe(
      truth.filter(active).reduce((sum, n) => sum + n.criticalNonCompliant, 0),
    );
    // One team's (the dashboard narrows a team member's Patches page so).
    const payments = truth.filter((n) => active(n) && n.team === 'payments');
    const teamRows = await report('missing-patches', { team: 'payments' });
    expect(teamRows.reduce((sum, r) => sum + (r.node_count as number), 0)).toBe(
      payments.reduce((sum, n) => sum + n.nonCompliantPatchIds.length, 0),
    );
    expect(teamRows.length).toBeLessThan(actual.size);
  });

  it('severity-summary: non-compliant items on active nodes, per severity and in total', async () => {
    const rows = await report('severity-summary');
    const sum = (column: string) => rows.reduce((total, r) => total + (r[column] as number), 0);
    const on = truth.filter(active);
    const total = (pick: (n: TruthNode) => number) => on.reduce((t, n) => t + pick(n), 0);
    expect(sum('noncompliant_items')).toBe(
      total((n) => n.missing + n.failed + n.pendingReboot + n.installedRejected),
    );
    expect(sum('missing')).toBe(total((n) => n.missing));
    expect(sum('failed')).toBe(total((n) => n.failed));
    const critical = rows.find((r) => r.severity === 'CRITICAL');
    expect(critical?.noncompliant_items).toBe(total((n) => n.criticalNonCompliant));
    expect(critical?.nodes).toBe(on.filter((n) => n.criticalNonCompliant > 0).length);
    expect(rows.map((r) => r.severity)[0]).toBe('CRITICAL');
  });

  it('agent-versions and applications: the SSM Agent on every active node', async () => {
    const withAgent = (n: TruthNode) => active(n) && n.managed;
    const expected = [
      ...countBy(truth.filter(withAgent), (n) => `${n.agentVersion}\u0000${n.platformType}`),
    ].map(([key, nodes]) => {
      const [agent_version, platform_type] = key.split('\u0000');
      return { agent_version, platform_type, nodes: nodes.length };
    });
    const rows = await report('agent-versions');
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(
      new Set(expected.map((r) => JSON.stringify(r))),
    );
    const teamNodes = (await report('agent-versions', { team: 'payments' })).reduce(
      (sum, r) => sum + (r.nodes as number),
      0,
    );
    expect(teamNodes).toBe(truth.filter((n) => withAgent(n) && n.team === 'payments').length);

    const agents = await report('applications', { name: 'SSM' });
    const byApp = (r: ResultRow) => `${String(r.name)}@${String(r.version)}`;
    const expectedApps = [
      ...countBy(
        truth.filter(withAgent),
        (n) => `${n.platformType === 'Windows' ? 'Amazon SSM Agent' : 'amazon-ssm-agent'}@${n.agentVersion}`,
      ),
    ];
    expect(new Map(agents.map((r) => [byApp(r), r.nodes]))).toEqual(
      new Map(expectedApps.map(([k, v]) => [k, v.length])),
    );
  });

  it('ingest-errors: none for a bucket as the agent and the sync write it', async () => {
    expect(await report('ingest-errors')).toEqual([]);
    const [run] = await report('ingest-runs');
    expect(run).toMatchObject({ ingest_id: 1, errors: 0, objects_removed: 0 });
    expect((run?.objects_read as number) + (run?.objects_skipped as number)).toBe(run?.objects_listed);
  });
});

describe("the AWS recipe's queries, unchanged", () => {
  /** Tag lines per node, counted from the files themselves. */
  async function tagLinesPerNode(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else
          counts.set(
            entry.name.replace('.json', ''),
            (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim()).length,
          );
      }
    };
    await walk(join(dir, 'bucket', 'ssm-inventory', 'AWS:Tag'));
    return counts;
  }

  it('each named query runs and returns what it promises', async () => {
    const tags = await tagLinesPerNode();
    const limited = {
      'recipe-compliant-patch': (r: ResultRow) => r.status === 'COMPLIANT',
      'recipe-non-compliant-patch': (r: ResultRow) => r.status === 'NON_COMPLIANT',
      'recipe-patch-summary': (r: ResultRow) => typeof r.missingcount === 'number',
      'recipe-compliance-summary-patch': (r: ResultRow) =>
        r.status === 'COMPLIANT' || r.status === 'NON_COMPLIANT',
      'recipe-instance-applications': (r: ResultRow) => typeof r.name === 'string',
      'recipe-active-nodes': (r: ResultRow) => r.instancestatus === 'Active',
    };
    for (const [id, holds] of Object.entries(limited)) {
      const rows = await report(id);
      expect(rows, id).toHaveLength(20);
      expect(rows.every(holds), id).toBe(true);
    }
    // The recipe joins aws_tag without a key filter, so each row repeats once per tag of its node.
    const agentRows = await report('recipe-ssm-agent-version');
    expect(agentRows).toHaveLength(truth.reduce((sum, n) => sum + (tags.get(n.nodeId) ?? 0), 0));
    const activeRows = await report('recipe-instance-list');
    expect(activeRows).toHaveLength(
      truth
        .filter((n) => n.instanceStatus === 'Active')
        .reduce((sum, n) => sum + (tags.get(n.nodeId) ?? 0), 0),
    );
  });

  it('the LISTAGG sample lists each node’s non-compliant patch ids in order', async () => {
    const rows = await report('recipe-aggregate-non-compliant-by-resource');
    expect(rows).toHaveLength(20);
    const byNode = new Map(truth.map((n) => [n.nodeId, n]));
    for (const row of rows) {
      const ids = String(row.ids).split(', ');
      expect(ids).toEqual([...ids].sort());
      for (const id of ids) expect(byNode.get(row.resourceid as string)?.nonCompliantPatchIds).toContain(id);
    }
  });

  it('every catalogue report compiles with bound parameters only', () => {
    // Reports that cannot run without a parameter get one.
    const required: Record<string, Record<string, string>> = { 'cve-evidence': { cve: 'CVE-2026-0001' } };
    for (const r of REPORTS) {
      const { query } = compileReport(r.id, required[r.id] ?? {}, context());
      expect(query.sql, r.id).not.toMatch(/\$\{/);
    }
    const hostile = compileReport('node-compliance', { team: "x' OR '1'='1" }, context()).query;
    expect(hostile.sql).not.toContain("x' OR");
    expect(hostile.parameters).toContain("x' OR '1'='1");
  });

  it('takes injection attempts through every parameter of every report as plain values', async ({ task }) => {
    const payloads = ["x' OR '1'='1", "'; DROP TABLE aws_tag; --", '") OR 1=1 --', "CVE-2026-1' OR 1=1"];
    const tagsBefore = await report('recipe-instance-list');
    let ran = 0;
    let refused = 0;
    for (const r of REPORTS) {
      for (const name of reportParameterNames(r)) {
        for (const payload of payloads) {
          const params = {
            ...(r.id === 'cve-evidence' && name !== 'cve' ? { cve: 'CVE-2026-0001' } : {}),
            [name]: payload,
          };
          let compiled;
          try {
            compiled = compileReport(r.id, params, context());
          } catch (error) {
            // Refused by the report's schema (an enum, a number, an id pattern): a usage error, never SQL.
            expect((error as { code?: string }).code, `${r.id} ${name}`).toBe('USAGE');
            refused += 1;
            continue;
          }
          expect(compiled.query.sql, `${r.id} ${name}`).not.toContain(payload);
          await engine.run(compiled.query);
          ran += 1;
        }
      }
    }
    expect(ran).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
    expect(await report('recipe-instance-list')).toEqual(tagsBefore);
    task.meta.figures = { area: 'SQL injection through report parameters', cases: ran + refused };
  });
});
