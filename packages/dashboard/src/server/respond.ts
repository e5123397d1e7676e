/**
 * A report document as the answer asked for: the JSON envelope the CLI prints with `--format json`, or the
 * CLI's own CSV and PDF of it as a download (`?format=csv|pdf`).
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { PatchboardError, type ReportDocument, reportJson } from '@patchboard/core';
import type { Exporters } from './options.js';
import { parseOrThrow, refuseRepeated } from './request.js';

/** A PDF of more rows than this would be thousands of pages: the CSV is the way to take them. */
const PDF_MAX_ROWS = 5000;

const formatSchema = z.enum(['json', 'csv', 'pdf']).default('json');

/** The `format` a request asks for, given once. */
export function formatOf(c: Context): z.infer<typeof formatSchema> {
  refuseRepeated('format', c.req.queries('format') ?? []);
  return parseOrThrow(formatSchema, c.req.query('format'), 'format');
}

export type Respond = (c: Context, document: ReportDocument) => Promise<Response>;

/** Answers documents in the format each request asks for; a cached document is serialised once. */
export function responder(exporters: Exporters): Respond {
  // Under load, stringifying thousands of rows per request adds up.
  const serialised = new WeakMap<ReportDocument, string>();
  return async (c, document) => {
    const format = formatOf(c);
    const name = `${document.report}-${document.generatedAt.slice(0, 10)}`;
    const rows = document.result.rows.length;
    switch (format) {
      case 'json': {
        let body = serialised.get(document);
        if (body === undefined) {
          body = JSON.stringify(reportJson(document));
          serialised.set(document, body);
        }
        c.set('rows', rows);
        return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
      }
      case 'csv':
        c.set('rows', rows);
        c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
        return c.body(exporters.csv(document), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      case 'pdf': {
        // A refused download carried no rows: the access log says so.
        if (rows > PDF_MAX_ROWS) {
          throw new PatchboardError(
            'USAGE',
            `This view has ${rows} rows; a PDF takes at most ${PDF_MAX_ROWS}. Narrow the filters or download the CSV.`,
          );
        }
        c.header('Content-Disposition', `attachment; filename="${name}.pdf"`);
        c.set('rows', rows);
        const pdf = await exporters.pdf(document);
        return c.body(pdf.slice().buffer, 200, { 'Content-Type': 'application/pdf' });
      }
    }
  };
}
