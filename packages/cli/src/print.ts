/**
 * The common end of every command that answers with rows: open the engine, run, render in the format asked
 * for, write to `--out` or standard output.
 */
import type { QueryEngine, QueryResult } from '@patchboard/core';
import { type CommandContext, evaluationTime, openQueryEngine } from './context.js';
import { emit, renderReport } from './output.js';

/** Runs `work` with the database's query engine, closing it whatever happens. */
export async function withQueryEngine<T>(
  context: CommandContext,
  work: (engine: QueryEngine) => Promise<T>,
): Promise<T> {
  const engine = await openQueryEngine(context);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

export async function printResult(
  context: CommandContext,
  output: { report: string; title?: string; params: Record<string, unknown>; result: QueryResult },
): Promise<void> {
  await emit(
    renderReport({ ...output, generatedAt: evaluationTime(context) }, context.format, context.interactive),
    context.out,
  );
}
