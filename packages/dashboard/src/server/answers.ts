/**
 * Where the dashboard's answers come from: the current snapshot, its engine behind a bounded queue, caches keyed
 * by (data version, evaluation time, scope and question), and the warming of a new snapshot before it is shown.
 * Routes say what to compute; this says on which data, how often and how many at once. It knows nothing of HTTP.
 */
import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  compileReport,
  dataAgeWarnings,
  describesSource,
  type Policy,
  type QueryEngine,
  type QueryResult,
  type ReportContext,
  type ReportDocument,
  type SnapshotLookups,
} from '@patchboard/core';
import { AnswerCache } from './cache.js';
import type { DashboardData, DataSnapshot } from './options.js';
import { FLEET, type Scope, scopedRows, scopeKey } from './scope.js';

/** How often a request may trigger a look for newly committed data. */
const REFRESH_EVERY_MS = 1000;
/**
 * Queries running at once. DuckDB already spreads one query over every core, so more at once only makes each
 * slower and starves the answers that come from the cache; the rest wait their turn.
 */
const QUERIES_AT_ONCE = Math.max(2, availableParallelism());
/**
 * The questions re-asked on new data before it is shown: the most recently asked distinct views. An ingest
 * then never leaves the next visitors waiting for every chart at once.
 */
const WARM_QUESTIONS = 64;
/** Warming stops after this long; whatever is left is answered on demand. */
const WARM_BUDGET_MS = 30_000;

export interface AnswerServiceOptions {
  readonly data: DashboardData;
  readonly policy: Policy;
  /** The evaluation time: fixed, or the wall clock's current minute. */
  readonly now: () => number;
  /** Engine queries running at once; the default is the machine's cores (at least 2). */
  readonly queriesAtOnce?: number;
}

/** A question as one viewer asks it: whose question it is belongs to it, so one scope's answer is never another's. */
export interface Question {
  readonly scope: Scope;
  /** The request that asks it, e.g. `/api/reports/missing-patches?team=payments` (parameters sorted). */
  readonly request: string;
}

/** The data a question is answered from, valid while the computation runs. */
export interface Reading {
  /** The snapshot's data version (changes whenever an ingest commits). */
  readonly version: string;
  /** When the snapshot was taken, epoch milliseconds. */
  readonly takenAt: number;
  /** The evaluation time, epoch milliseconds. */
  readonly now: number;
  /** The snapshot's engine; every query waits for its turn in the queue. */
  readonly engine: QueryEngine;
  /** What an answer evaluated at `at` must say about its data (old data; core data-span.ts). */
  dataWarnings(at: number): Promise<string[]>;
  /** The snapshot's lookup tables, when its engine offers them. */
  readonly lookups?: SnapshotLookups;
  /** The report context at evaluation time `at` (default `now`). */
  context(at?: number): ReportContext;
  /**
   * The node table as `scope` sees it, as of `asOf` (default now): the whole fleet's is computed once per data
   * version and time, each scope's rows taken from it once.
   */
  nodes(scope: Scope, asOf?: number): Promise<QueryResult>;
  /**
   * Runs `work` in one turn of the queue with the engine unqueued inside: a node page's small queries run at
   * once (on as many cores as the engine has) and wait for one turn instead of one each among everyone else's.
   */
  together<T>(work: (engine: QueryEngine) => Promise<T>): Promise<T>;
}

type Compute<T> = (reading: Reading) => Promise<T>;

/**
 * What the kept answers may hold, in cells (rows x columns; a cell costs some 50-100 bytes as JavaScript
 * values): 200-400 MB of report answers, and 0.5-1 GB of node tables (the whole fleet's is 1.7 M cells at
 * 100,000 nodes).
 */
const ANSWER_CELLS = 4_000_000;
const NODE_LIST_CELLS = 10_000_000;
const cells = (result: QueryResult): number => result.rows.length * Math.max(1, result.columns.length);

const questionKey = (question: Question): string => `${scopeKey(question.scope)} ${question.request}`;

export class AnswerService {
  private readonly answers = new AnswerCache<ReportDocument>({
    capacity: 500,
    weigh: (document) => cells(document.result),
    maxWeight: ANSWER_CELLS,
  });
  // The whole fleet's node table for up to 4 (data version, time, as-of) views, and each scope's share of them.
  private readonly nodeLists = new AnswerCache<QueryResult>({
    capacity: 16,
    weigh: cells,
    maxWeight: NODE_LIST_CELLS,
  });
  private readonly details = new AnswerCache<unknown>({ capacity: 200 });
  private readonly queue: LimitFunction;
  /** Warming new data takes a lane of its own, so visitors' questions never wait behind it. */
  private readonly warmQueue = pLimit(1);
  /** Recently answered questions by key, most recent last: what `warm` asks again on new data. */
  private readonly recent = new Map<string, Compute<ReportDocument>>();
  /** Lookup tables already asked to be built (a snapshot is warmed, then shown: one build, one log line). */
  private readonly lookupsAsked = new WeakSet<SnapshotLookups>();
  /** The data version and evaluation time requests last saw: when either moves on, older answers are dropped. */
  private shown: { version: string; now: number } | undefined;
  private lastRefresh = 0;

  constructor(private readonly options: AnswerServiceOptions) {
    this.queue = pLimit(options.queriesAtOnce ?? QUERIES_AT_ONCE);
  }

  /**
   * Looks for a committed ingest at most once a second, in the background: the request that notices still
   * answers from the current data, and the new snapshot is warmed before it replaces it.
   */
  lookForNewData(): void {
    if (Date.now() - this.lastRefresh <= REFRESH_EVERY_MS) return;
    this.lastRefresh = Date.now();
    this.options.data
      .refresh((next) => this.warm(next))
      .catch((error: unknown) => console.error(`Refreshing the data failed: ${String(error)}`));
  }

  /** Reads the current data without caching the result (it may still use the node table, which is cached). */
  read<T>(work: Compute<T>): Promise<T> {
    return this.use((snapshot, now) => work(this.reading(snapshot, now, this.queue)));
  }

  /**
   * A report document, computed once per (data version, evaluation time, question): repeated views cost
   * nothing. Questions that had an answer are asked again on new data before it is shown.
   */
  answer(question: Question, compute: Compute<ReportDocument>): Promise<ReportDocument> {
    const key = questionKey(question);
    return this.use((snapshot, now) => {
      const answered = this.answers.get(`${snapshot.version}|${now}|${key}`, () =>
        compute(this.reading(snapshot, now, this.queue)),
      );
      // A refused question would only be refused again, so only answered ones are remembered.
      answered.then(
        () => {
          this.recent.delete(key);
          this.recent.set(key, compute);
          if (this.recent.size > WARM_QUESTIONS) this.recent.delete(this.recent.keys().next().value!);
        },
        () => undefined,
      );
      return answered;
    });
  }

  /** Any other answer (a node's page), computed once per (data version, evaluation time, question); not warmed. */
  detail<T>(question: Question, compute: Compute<T>): Promise<T> {
    const key = questionKey(question);
    return this.use(
      (snapshot, now) =>
        this.details.get(`${snapshot.version}|${now}|${key}`, () =>
          compute(this.reading(snapshot, now, this.queue)),
        ) as Promise<T>,
    );
  }

  /** Runs `work` on the current snapshot, first dropping the answers of data or a time no longer shown. */
  private use<T>(work: (snapshot: DataSnapshot, now: number) => Promise<T>): Promise<T> {
    return this.options.data.use((snapshot) => {
      const now = this.options.now();
      if (this.shown?.version !== snapshot.version || this.shown.now !== now) {
        // New data, or the next minute, is shown: the answers for the one before would only hold memory until
        // evicted (a new snapshot's answers, warmed before it was shown, stay).
        if (this.shown) {
          const { version, now: then } = this.shown;
          const stale = version === snapshot.version ? `${version}|${then}|` : `${version}|`;
          for (const cache of [this.answers, this.nodeLists, this.details]) cache.dropPrefix(stale);
        }
        this.shown = { version: snapshot.version, now };
        // The first snapshot was not prepared by a refresh: its lookup tables are built now, in the warming
        // lane, and requests use the exact queries until they are ready.
        void this.prepareLookups(snapshot);
      }
      return work(snapshot, now);
    });
  }

  /** The snapshot at evaluation time `now`, its engine's queries taking turns in `lane`. */
  private reading(snapshot: DataSnapshot, now: number, lane: LimitFunction): Reading {
    const raw = snapshot.engine;
    const engine: QueryEngine = {
      dialect: raw.dialect,
      run: (query, runOptions) => lane(() => raw.run(query, runOptions)),
      close: () => raw.close(),
    };
    const reading: Reading = {
      version: snapshot.version,
      takenAt: snapshot.takenAt,
      now,
      engine,
      ...(snapshot.lookups ? { lookups: snapshot.lookups } : {}),
      context: (at = now) => ({ policy: this.options.policy, now: at, dialect: engine.dialect }),
      nodes: (scope, asOf) =>
        this.nodeLists.get(`${snapshot.version}|${now}|${asOf ?? ''}|${scopeKey(scope)}`, async () => {
          if (scope.kind !== 'fleet') return scopedRows(scope, await reading.nodes(FLEET, asOf));
          const compiled = compileReport('node-compliance', {}, reading.context(asOf ?? now));
          return engine.run(compiled.query, asOf === undefined ? {} : { asOf });
        }),
      together: (work) => lane(() => work(raw)),
      dataWarnings: async (at) =>
        describesSource(raw)
          ? dataAgeWarnings((await raw.sourceFreshness(at)).dataTime, at, this.options.policy)
          : [],
    };
    return reading;
  }

  /** Answers the node table and the recent questions on a new snapshot before it is shown. */
  private async warm(next: DataSnapshot): Promise<void> {
    const now = this.options.now();
    const reading = this.reading(next, now, this.warmQueue);
    const deadline = Date.now() + WARM_BUDGET_MS;
    const questions: [string, () => Promise<unknown>][] = [
      ['the node table', () => reading.nodes(FLEET)],
      ['the lookup tables', () => this.prepareLookups(next)],
      ...[...this.recent]
        .reverse()
        .map(([key, compute]): [string, () => Promise<unknown>] => [
          key,
          () => this.answers.get(`${next.version}|${now}|${key}`, () => compute(reading)),
        ]),
    ];
    for (const [name, ask] of questions) {
      if (Date.now() > deadline) break;
      await ask().catch((error: unknown) =>
        console.error(`Warming ${name} on new data failed: ${String(error)}`),
      );
    }
  }

  /** Has the snapshot's lookup tables built, once, in the warming lane; a failure costs speed, not answers. */
  private prepareLookups(snapshot: DataSnapshot): Promise<void> {
    const { lookups } = snapshot;
    if (!lookups || this.lookupsAsked.has(lookups)) return Promise.resolve();
    this.lookupsAsked.add(lookups);
    return this.warmQueue(() => lookups.prepare()).catch((error: unknown) =>
      console.error(`Building the lookup tables of the new data failed: ${String(error)}`),
    );
  }
}
