-- parameters: [30]
SELECT ingest_id, source, finished_at, data_time, objects_listed, objects_read, objects_unchanged,
  objects_removed, objects_skipped, records, errors, history_opened, history_closed
FROM ingests
ORDER BY ingest_id DESC
LIMIT ?
