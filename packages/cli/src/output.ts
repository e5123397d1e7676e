/**
 * Every command that prints rows goes through here. A person at a terminal gets an aligned table; pipes and
 * files get the format asked for. CSV is RFC 4180 and safe to open in a spreadsheet.
 */
import { writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import {
  cellText,
  type QueryResult,
  renderCsv,
  type ReportDocument,
  reportJson,
  terminalCellText,
  terminalText,
  truncate,
} from '@patchboard/core';
import { renderHtmlDocument } from './render/document.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv', 'md', 'html', 'pdf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** The formats rendered as text here; `pdf` is printed from the `html` document (./print.ts). */
export type TextFormat = Exclude<OutputFormat, 'pdf'>;

/** `1 row`, `2 rows`: a count and its noun. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Markdown people paste into wikis, tickets and chat, so a value must not become markup there. Escaped with a
 * backslash (CommonMark 0.31 §2.4: any ASCII punctuation may be), the characters that open inline syntax:
 * `\` escapes, `` ` `` code, `*` `_` emphasis, `[` `]` links, images and footnotes, `<` raw HTML, comments and
 * autolinks, `&` character references, `~` strikethrough (GFM), `|` cells, `$` maths (GitHub), `@` e-mail
 * autolinks and mentions; and the `:` of `scheme://` and the `.` of `www.`, GFM's extended autolinks. What a
 * renderer shows is the value's characters; line breaks become spaces, so a value stays in its row.
 */
function markdownText(text: string): string {
  return text
    .replaceAll(/[\\`*_[\]<&~|$@]/g, '\\$&')
    .replaceAll(/:(?=\/\/)/g, '\\:')
    .replaceAll(/(?<=\bwww)\./gi, '\\.')
    .replaceAll(/[\r\n]+/g, ' ');
}

function renderMarkdown(result: QueryResult): string {
  const header = result.columns.map((c) => c.name);
  const lines = [
    `| ${header.map(markdownText).join(' | ')} |`,
    `| ${result.columns.map((c) => (c.type === 'integer' || c.type === 'number' ? '---:' : '---')).join(' | ')} |`,
    ...result.rows.map(
      (row) => `| ${header.map((name) => markdownText(cellText(row[name] ?? null))).join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The widest a table cell gets, in characters: an ARN of a patch baseline (about 70) fits; a longer value is cut
 * with `…`. cli-table3 pads every row to the column's widest cell, so one huge value would otherwise make every
 * row huge. CSV, JSON and the rest carry values whole.
 */
const TABLE_CELL_MAX = 80;

/** A cell as a terminal shows it: control and invisible characters escaped, then capped. */
function tableCell(value: string): string {
  // Escaping only lengthens, so a value longer than this slice is cut in any case.
  return truncate(terminalCellText(value.slice(0, TABLE_CELL_MAX * 4)), TABLE_CELL_MAX);
}

/** The narrowest a column is cut to on a narrow terminal, padding included: three characters and `…`. */
const TABLE_COLUMN_MIN = 6;

/**
 * Column widths (padding included) for a table at most `columns` wide, borders included: when the widest
 * columns do not fit, they are cut to one common width and the narrow ones keep theirs, so a long name or
 * instance list gives way before a count does. Below TABLE_COLUMN_MIN a column is not cut further, so a table
 * of very many columns can still be wider than a very narrow terminal.
 */
export function fitColumnWidths(natural: readonly number[], columns: number): number[] {
  const room = columns - (natural.length + 1);
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= room) return [...natural];
  // The largest common cap with which the columns fit: narrow columns (below the cap) keep their width.
  const ascending = [...natural].sort((a, b) => a - b);
  let used = 0;
  let cap = 0;
  for (const [index, width] of ascending.entries()) {
    cap = Math.floor((room - used) / (ascending.length - index));
    if (width > cap) break;
    used += width;
  }
  const widths = natural.map((width) => Math.min(width, Math.max(cap, TABLE_COLUMN_MIN)));
  // What the rounding down left over goes to the cut columns, left to right.
  let spare = room - widths.reduce((sum, width) => sum + width, 0);
  for (const [index, width] of widths.entries()) {
    if (spare <= 0) break;
    if (width < natural[index]!) {
      widths[index] = width + 1;
      spare--;
    }
  }
  return widths;
}

/**
 * An aligned table, with a rule under the header only. With `columns` (a terminal's width) wide columns are
 * cut so that every line fits, each cut cell ending in `…`; CSV, JSON and the other formats keep values whole.
 */
function renderTable(result: QueryResult, colour: boolean, columns?: number): string {
  const header = result.columns.map((c) => c.name);
  const table = new Table({
    head: header,
    style: { compact: true, ...(colour ? {} : { head: [], border: [] }) },
    colAligns: result.columns.map((c) => (c.type === 'integer' || c.type === 'number' ? 'right' : 'left')),
  });
  for (const row of result.rows) table.push(header.map((name) => tableCell(cellText(row[name] ?? null))));
  let text = table.toString();
  if (columns !== undefined) {
    // cli-table3 measures each column (display width, wide characters counted twice) as it draws; given
    // fixed widths, it cuts a wider cell with `…`.
    const natural = table.options.colWidths.map((width) => width ?? 0);
    const fitted = fitColumnWidths(natural, columns);
    if (fitted.some((width, index) => width !== natural[index])) {
      table.options.colWidths = fitted;
      text = table.toString();
    }
  }
  return `${text}\n(${counted(result.rows.length, 'row')})\n`;
}

/** A report as one self-contained HTML document: its title, when it was evaluated and with which parameters. */
export function renderHtmlReport(output: ReportDocument): string {
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

/**
 * The report in a format. For a person's terminal the table gets colour and fits `columns` (standard output's
 * width); for a file or a pipe it keeps its natural width.
 */
export function renderReport(
  output: ReportDocument,
  format: TextFormat,
  colour = false,
  columns?: number,
): string {
  const { result } = output;
  switch (format) {
    case 'html':
      return renderHtmlReport(output);
    case 'json':
      return `${JSON.stringify(reportJson(output), null, 2)}\n`;
    case 'ndjson':
      return result.rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    case 'csv':
      return renderCsv(result);
    case 'md':
      return renderMarkdown(result);
    case 'table':
      return renderTable(result, colour, columns);
  }
}

/**
 * Writes to `--out` (whole file at once, created with 0644) or to standard output. A terminal gets the text
 * with control and invisible characters escaped, whatever the format: a value could otherwise recolour it,
 * set its title or plant an OSC 8 link. Files and pipes get the document's bytes unchanged. `terminalSafe`
 * says the text escapes its values already and its own control sequences are meant (the table's colours).
 */
export async function emit(
  content: string | Uint8Array,
  out: string | undefined,
  terminalSafe = false,
  stdoutIsTerminal = Boolean(process.stdout.isTTY),
): Promise<void> {
  if (out) await writeFile(out, content);
  else if (stdoutIsTerminal && !terminalSafe && typeof content === 'string') {
    process.stdout.write(terminalText(content));
  } else process.stdout.write(content);
}
