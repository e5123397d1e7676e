/**
 * The answer service on real DuckDB databases: an answer is computed once per (scope, data version, evaluation
 * time, question); new data drops the old answers; a new snapshot is warmed before it is shown and its lookup
 * tables are asked for once; no more engine queries run at once than the queue allows.
 */
import {
  type CompiledQuery,
  DEFAULT_POLICY,
  formatInstant,
  type QueryEngine,
  type ReportDocument,
  type RunOptions,
  type SnapshotLookups,
} from '@patchboard/core';
import { DuckDbQueryEngine, DuckDbSnapshotLookups, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, describe, expect, it } from 'vitest';
import { AnswerService, type Reading } from '../src/server/answers.js';
import type { DashboardData, DataSnapshot } from '../src/server/options.js';
import { FLEET, type Scope } from '../src/server/scope.js';

const NOW = Date.parse('2026-10-31T00:00:00Z');
const PAYMENTS: Scope = { kind: 'teams', teams: ['payments'] };
const opened: DuckDbQueryEngine[] = [];

/** A real in-memory DuckDB database holding one mark; its engine counts the queries it ran and their overlap. */
async function database(mark: string) {
  const engine = new DuckDbQueryEngine(await openDatabase(':memory:'));
  opened.push(engine);
  await engine.run({ sql: 'CREATE TABLE marks AS SELECT ? AS mark', parameters: [mark] });
  const counts = { runs: 0, running: 0, mostAtOnce: 0 };
  const counted: QueryEngine = {
    dialect: engine.dialect,
    run: async (query: CompiledQuery, options?: RunOptions) => {
      counts.runs += 1;
      counts.running += 1;
      counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
      try {
        return await engine.run(query, options);
      } finally {
        counts.running -= 1;
      }
    },
    close: () => engine.close(),
  };
  return { engine, counted, counts };
}

/** Data whose current snapshot the test swaps; `next` is what the following refresh finds. */
function switchable(first: DataSnapshot) {
  const state: { current: DataSnapshot; next?: DataSnapshot; shownWhilePreparing: string[] } = {
    current: first,
    shownWhilePreparing: [],
  };
  const data: DashboardData = {
    use: (work) => work(state.current),
    refresh: async (prepare) => {
      const arriving = state.next;
      if (!arriving) return;
      state.next = undefined;
      await prepare?.(arriving);
      state.shownWhilePreparing.push(state.current.version);
      state.current = arriving;
    },
  };
  return { data, state };
}

/** The question "which mark does the data hold", as a report document. */
const markQuestion = async (reading: Reading): Promise<ReportDocument> => ({
  report: 'mark',
  generatedAt: formatInstant(reading.now),
  params: {},
  result: await reading.engine.run({ sql: 'SELECT mark FROM marks', parameters: [] }),
});
const marksOf = (document: ReportDocument) => document.result.rows.map((row) => row.mark);

afterAll(async () => {
  for (const engine of opened) await engine.close();
});

describe('the answer service', () => {
  it('answers once per scope, data version and evaluation time', async () => {
    const v1 = await database('one');
    const { data } = switchable({ version: 'v1', takenAt: 0, engine: v1.counted });
    let now = NOW;
    const answers = new AnswerService({ data, policy: DEFAULT_POLICY, now: () => now });
    const fleet = { scope: FLEET, request: '/api/reports/mark?' };

    const first = await answers.answer(fleet, markQuestion);
    expect(marksOf(first)).toEqual(['one']);
    expect(await answers.answer(fleet, markQuestion)).toBe(first);
    expect(v1.counts.runs).toBe(1);
    // The same request by a viewer of another scope is another question.
    const payments = await answers.answer({ scope: PAYMENTS, request: fleet.request }, markQuestion);
    expect(payments).not.toBe(first);
    expect(v1.counts.runs).toBe(2);
    // Concurrent asks of a new question share one computation.
    const other = { scope: FLEET, request: '/api/reports/mark?team=x' };
    await Promise.all([answers.answer(other, markQuestion), answers.answer(other, markQuestion)]);
    expect(v1.counts.runs).toBe(3);
    // The next minute is another evaluation time.
    now += 60_000;
    const later = await answers.answer(fleet, markQuestion);
    expect(later.generatedAt).toBe('2026-10-31T00:01:00Z');
    expect(v1.counts.runs).toBe(4);
  });

  it('drops the answers of data no longer shown: a new snapshot is asked again, and so is the old one', async () => {
    const v1 = await database('one');
    const v2 = await database('two');
    const { data, state } = switchable({ version: 'v1', takenAt: 0, engine: v1.counted });
    const answers = new AnswerService({ data, policy: DEFAULT_POLICY, now: () => NOW });
    const question = { scope: FLEET, request: '/api/reports/mark?' };

    expect(marksOf(await answers.answer(question, markQuestion))).toEqual(['one']);
    state.current = { version: 'v2', takenAt: 0, engine: v2.counted };
    expect(marksOf(await answers.answer(question, markQuestion))).toEqual(['two']);
    expect(await answers.answer(question, markQuestion)).toBe(await answers.answer(question, markQuestion));
    expect(v2.counts.runs).toBe(1);
    // Back on v1 (a version not shown since): its answer was dropped when v2 was shown, so it runs again.
    state.current = { version: 'v1', takenAt: 0, engine: v1.counted };
    expect(marksOf(await answers.answer(question, markQuestion))).toEqual(['one']);
    expect(v1.counts.runs).toBe(2);
  });

  it('warms a new snapshot with the node table and the recent questions before it is shown, and has its lookup tables built once', async () => {
    const v1 = await database('one');
    const v2 = await database('two');
    const { data, state } = switchable({ version: 'v1', takenAt: 0, engine: v1.counted });
    const answers = new AnswerService({ data, policy: DEFAULT_POLICY, now: () => NOW });
    const questions = ['/api/reports/mark?', '/api/reports/mark?group-by=team'].map((request) => ({
      scope: FLEET,
      request,
    }));
    for (const question of questions) await answers.answer(question, markQuestion);

    // v2's own lookup tables, built on its engine: an empty database has no patch history, so they answer nothing.
    const built = new DuckDbSnapshotLookups(v2.engine, DEFAULT_POLICY);
    let prepared = 0;
    const lookups: SnapshotLookups = {
      prepare: () => {
        prepared += 1;
        return built.prepare();
      },
      nodeHistory: (node, now) => built.nodeHistory(node, now),
      evidence: (params, now) => built.evidence(params, now),
    };
    state.next = { version: 'v2', takenAt: 0, engine: v2.counted, lookups };
    answers.lookForNewData();
    await expect.poll(() => state.current.version, { timeout: 10_000 }).toBe('v2');
    expect(state.shownWhilePreparing).toEqual(['v1']);
    // The node table (node-compliance on v2's empty tables) and both questions ran on v2 before it was shown.
    expect(v2.counts.runs).toBe(1 + questions.length);
    for (const question of questions) {
      expect(marksOf(await answers.answer(question, markQuestion))).toEqual(['two']);
    }
    expect(v2.counts.runs).toBe(1 + questions.length);
    expect(await answers.read(async (reading) => (await reading.nodes(FLEET)).rows)).toEqual([]);
    expect(v2.counts.runs).toBe(1 + questions.length);
    // Warmed, then shown: one build.
    expect(prepared).toBe(1);
    expect(built.dataTime).toBe(null);
    expect(lookups.nodeHistory('i-0123456789abcdef0', NOW)).toBeUndefined();
  });

  it('runs no more engine queries at once than the queue allows, and answers every question', async () => {
    /** Sums 0 … limit-1 on DuckDB: long enough (tens of milliseconds) for queries to overlap. */
    const sum = (limit: number) => async (reading: Reading) => ({
      report: 'sum',
      generatedAt: formatInstant(reading.now),
      params: { limit },
      result: await reading.engine.run({
        sql: 'SELECT CAST(sum(range) AS DOUBLE) AS total FROM range(CAST(? AS BIGINT))',
        parameters: [limit],
      }),
    });
    const limits = [2_000_000, 2_000_001, 2_000_002, 2_000_003, 2_000_004, 2_000_005];
    // Two bounds, so that neither can pass by being the machine's default.
    for (const queriesAtOnce of [1, 3]) {
      const v1 = await database('one');
      const { data } = switchable({ version: 'v1', takenAt: 0, engine: v1.counted });
      const answers = new AnswerService({ data, policy: DEFAULT_POLICY, now: () => NOW, queriesAtOnce });
      const documents = await Promise.all(
        limits.map((limit) => answers.answer({ scope: FLEET, request: `/sum?n=${limit}` }, sum(limit))),
      );
      expect(documents.map((document) => document.result.rows[0]?.total)).toEqual(
        limits.map((n) => (n * (n - 1)) / 2),
      );
      expect(v1.counts.runs).toBe(limits.length);
      expect(v1.counts.mostAtOnce).toBe(queriesAtOnce);
    }
  });
});
