/**
 * The common end of every command that answers with rows: open the engine, run, render in the format asked
 * for, write to `--out` or standard output.
 */
import { PatchboardError, type QueryEngine, type QueryResult, type ReportDocument } from '@patchboard/core';
import { type CommandContext, evaluationTime, openQueryEngine, terminalColumns } from './context.js';
import { emit, renderHtmlReport, renderReport } from './output.js';

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

/** A PDF is bytes for a file or a pipe: written to a terminal it would be noise, so it is refused there. */
export function checkPdfDestination(out: string | undefined, stdoutIsTerminal: boolean): void {
  if (!out && stdoutIsTerminal) {
    throw new PatchboardError(
      'USAGE',
      '--format pdf writes a binary file; give --out report.pdf (or pipe standard output to a file).',
    );
  }
}

/** Writes a document as HTML, or printed to PDF when that is the format asked for. */
export async function printDocument(context: CommandContext, html: string, footer: string): Promise<void> {
  if (context.format !== 'pdf') {
    await emit(html, context.out);
    return;
  }
  checkPdfDestination(context.out, Boolean(process.stdout.isTTY));
  const { printPdf } = await import('./render/print-pdf.js');
  await emit(await printPdf(html, footer), context.out);
}

export async function printResult(
  context: CommandContext,
  output: { report: string; title?: string; params: Record<string, unknown>; result: QueryResult },
): Promise<void> {
  const full: ReportDocument = {
    ...output,
    generatedAt: evaluationTime(context),
    ...(context.warnings.length > 0 ? { warnings: context.warnings } : {}),
  };
  if (context.format === 'pdf' || context.format === 'html') {
    await printDocument(context, renderHtmlReport(full), `Patchboard ${output.report}`);
    return;
  }
  await emit(
    renderReport(full, context.format, context.interactive, terminalColumns(context)),
    context.out,
    context.format === 'table',
  );
}
