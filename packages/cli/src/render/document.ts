/**
 * One self-contained HTML document: inline CSS, no script, nothing fetched, a Content-Security-Policy that
 * forbids both. Every value from the data is escaped text, never markup; the only markup not written here is
 * the SVG of charts, which this package renders itself from numbers and escaped labels.
 */
import type { QueryResult, ResultValue } from '@patchboard/core';

export interface DocumentSection {
  readonly heading: string;
  readonly intro?: string;
  /** An SVG chart rendered by ./svg-charts.ts. */
  readonly chartSvg?: string;
  readonly result: QueryResult;
  /** Shown instead of an empty table. */
  readonly emptyText?: string;
}

export interface HtmlDocumentInput {
  readonly title: string;
  readonly subtitle?: string;
  /** Label and value pairs shown under the title: evaluation time, parameters, data cut-off … */
  readonly facts: readonly (readonly [string, string])[];
  readonly sections: readonly DocumentSection[];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$/;

/** A cell as text: instants say their zone, lists are joined, nothing is markup. */
function cellText(value: ResultValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'string') {
    const instant = ISO_INSTANT.exec(value);
    return instant ? `${instant[1]} ${instant[2]} UTC` : value;
  }
  return String(value);
}

const label = (column: string) => column.replaceAll('_', ' ');

function table(result: QueryResult, emptyText: string): string {
  if (result.rows.length === 0) return `<p class="empty">${escapeHtml(emptyText)}</p>`;
  const numeric = result.columns.map((c) => c.type === 'integer' || c.type === 'number');
  const head = result.columns
    .map((c, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(label(c.name))}</th>`)
    .join('');
  const body = result.rows
    .map(
      (row) =>
        `<tr>${result.columns
          .map(
            (c, i) =>
              `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(cellText(row[c.name] ?? null))}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>
<p class="count">${result.rows.length} row${result.rows.length === 1 ? '' : 's'}</p>`;
}

const STYLE = `
@page { size: A4 landscape; margin: 14mm 10mm 16mm; }
* { box-sizing: border-box; }
body { font: 10.5px/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2430; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 2px; }
.subtitle { color: #4a5568; margin: 0 0 10px; font-size: 12px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 0 0 18px; }
dl.facts dt { color: #4a5568; } dl.facts dd { margin: 0; font-weight: 600; }
section { margin: 0 0 22px; }
h2 { font-size: 14px; margin: 0 0 4px; border-bottom: 2px solid #2b6cb0; padding-bottom: 2px; break-after: avoid; }
.intro { margin: 0 0 8px; color: #4a5568; }
.chart { margin: 4px 0 10px; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 9px; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #edf2f7; text-align: left; font-weight: 600; overflow-wrap: normal; }
th, td { border: 1px solid #cbd5e0; padding: 2px 5px; vertical-align: top; }
td { overflow-wrap: break-word; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f7fafc; }
.count, .empty { color: #4a5568; margin: 3px 0 0; }
@media print { body { margin: 0; } }
`;

export function renderHtmlDocument(input: HtmlDocumentInput): string {
  const facts = input.facts
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const sections = input.sections
    .map(
      (s) => `<section>
<h2>${escapeHtml(s.heading)}</h2>
${s.intro ? `<p class="intro">${escapeHtml(s.intro)}</p>` : ''}
${s.chartSvg ? `<div class="chart">${s.chartSvg}</div>` : ''}
${table(s.result, s.emptyText ?? 'None.')}
</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ''}
<dl class="facts">${facts}</dl>
${sections}
</body>
</html>
`;
}
