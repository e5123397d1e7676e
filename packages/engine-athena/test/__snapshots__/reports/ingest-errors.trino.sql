-- parameters: []
SELECT object_key, line, reason, excerpt, ingested_at
FROM ingest_errors
ORDER BY object_key, line NULLS FIRST, reason
