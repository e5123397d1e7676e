/**
 * Every command that prints rows goes through here. A person at a terminal gets an aligned table; pipes and
 * files get the format asked for. CSV is RFC 4180 and safe to open in a spreadsheet.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import { cellText, csvRows, type QueryResult } from '@patchboard/core';
import { renderHtmlDocument } from './render/document.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv', 'md', 'html', 'pdf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** The formats rendered as text here; `pdf` is printed from the `html` document (./print.ts). */
export type TextFormat = Exclude<OutputFormat, 'pdf'>;

export interface ReportOutput {
  readonly report: string;
  readonly title?: string;
  readonly generatedAt: string;
  readonly params: Record<string, unknown>;
  readonly result: QueryResult;
}

export function renderCsv(result: QueryResult): string {
  return stringify(csvRows(result), { record_delimiter: '\r\n' });
}

function renderMarkdown(result: QueryResult): string {
  const escape = (text: string) =>
    text
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replaceAll(/[\r\n]+/g, ' ');
  const header = result.columns.map((c) => c.name);
  const lines = [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${result.columns.map((c) => (c.type === 'integer' || c.type === 'number' ? '---:' : '---')).join(' | ')} |`,
    ...result.rows.map(
      (row) => `| ${header.map((name) => escape(cellText(row[name] ?? null))).join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Control characters from the data would move the cursor or recolour the terminal: they are shown escaped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

function renderTable(result: QueryResult, colour: boolean): string {
  const header = result.columns.map((c) => c.name);
  const table = new Table({
    head: header,
    style: colour ? {} : { head: [], border: [] },
    colAligns: result.columns.map((c) => (c.type === 'integer' || c.type === 'number' ? 'right' : 'left')),
  });
  const safe = (text: string) =>
    text.replaceAll(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const row of result.rows) table.push(header.map((name) => safe(cellText(row[name] ?? null))));
  return `${table.toString()}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})\n`;
}

/** A report as one self-contained HTML document: its title, when it was evaluated and with which parameters. */
export function renderHtmlReport(output: ReportOutput): string {
  const params = Object.entries(output.params).filter(([, value]) => value !== undefined);
  return renderHtmlDocument({
    title: output.title ?? output.report,
    subtitle: `Patchboard report ${output.report}`,
    facts: [
      ['Evaluated at', output.generatedAt.replace('T', ' ').replace('Z', ' UTC')],
      ...params.map(([key, value]) => [`Parameter ${key}`, String(value)] as const),
    ],
    sections: [{ heading: output.title ?? output.report, result: output.result }],
  });
}

export function renderReport(output: ReportOutput, format: TextFormat, colour = false): string {
  const { result } = output;
  switch (format) {
    case 'html':
      return renderHtmlReport(output);
    case 'json':
      return `${JSON.stringify(
        {
          report: output.report,
          generatedAt: output.generatedAt,
          params: output.params,
          columns: result.columns,
          rows: result.rows,
        },
        null,
        2,
      )}\n`;
    case 'ndjson':
      return result.rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    case 'csv':
      return renderCsv(result);
    case 'md':
      return renderMarkdown(result);
    case 'table':
      return renderTable(result, colour);
  }
}

/** Writes to `--out` (whole file at once, created with 0644) or to standard output. */
export async function emit(content: string | Uint8Array, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, content);
  else process.stdout.write(content);
}
