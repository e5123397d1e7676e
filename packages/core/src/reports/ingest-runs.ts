import * as z from 'zod';
import { sql } from '../sql.js';
import { defineReport } from './report.js';

export const ingestRuns = defineReport({
  id: 'ingest-runs',
  title: 'Ingests',
  description:
    'The latest ingests, newest first: source, when each finished, the newest data it carried (the data cut-off), objects read and removed, records, errors and history intervals opened and closed.',
  requires: { 'ingest-log': 'to list the ingests' },
  params: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(30) }).strict(),
  compile(params) {
    return sql`SELECT ingest_id, source, finished_at, data_time, objects_listed, objects_read, objects_unchanged,
  objects_removed, objects_skipped, records, errors, history_opened, history_closed
FROM ingests
ORDER BY ingest_id DESC
LIMIT ${params.limit}`;
  },
});
