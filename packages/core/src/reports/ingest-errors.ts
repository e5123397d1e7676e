import * as z from 'zod';
import { sql } from '../sql.js';
import { defineReport } from './report.js';

export const ingestErrors = defineReport({
  id: 'ingest-errors',
  title: 'Ingest errors',
  description:
    'Lines and fields the last ingests could not take, with the object key, line number and reason.',
  requires: { 'ingest-log': 'to list what the ingests could not read' },
  params: z.object({}).strict(),
  compile() {
    return sql`SELECT object_key, line, reason, excerpt, ingested_at
FROM ingest_errors
ORDER BY object_key, line NULLS FIRST, reason`;
  },
});
