import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { type RefreshStatus, reportPath, type ReportJson, type Row, useApi } from '../api';
import { Chart } from '../components/Chart';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { formatTimestamp, useFormat } from '../format';

const STATUSES = ['compliant', 'non_compliant', 'stale', 'not_scanned', 'unmanaged', 'inactive'] as const;
/** Percentages; `coverage_pct` is empty where no instance list (AWS Config, DescribeInstances) was ingested. */
const PERCENTS = new Set(['compliance_pct', 'coverage_pct']);
const GROUPS = [
  ['account', 'account_id', 'By account'],
  ['region', 'region', 'By Region'],
  ['team', 'team', 'By team'],
  ['environment', 'environment', 'By environment'],
  ['platform', 'platform', 'By platform'],
  ['baseline', 'baseline_id', 'By baseline'],
] as const;

function StatusBars(props: { rows: readonly Row[]; column: string; testId: string }): ReactNode {
  return (
    <Chart
      kind="bar"
      horizontal
      stacked
      testId={props.testId}
      categories={props.rows.map((r) => String(r[props.column] ?? ''))}
      series={STATUSES.map((status) => ({
        name: status,
        data: props.rows.map((r) => Number(r[status] ?? 0)),
      }))}
    />
  );
}

function GroupPanel(props: { group: string; column: string; title: string }): ReactNode {
  const path = reportPath('fleet-summary', { 'group-by': props.group });
  const loaded = useApi<ReportJson>(path);
  return (
    <Panel
      title={props.title}
      loaded={loaded}
      actions={<Downloads path={path} />}
      testId={`group-${props.group}`}
    >
      {(document) => (
        <StatusBars rows={document.rows} column={props.column} testId={`chart-${props.group}`} />
      )}
    </Panel>
  );
}

/** The scheduled refresh (`serve --ingest … --every …`), always in UTC. A failure shows until a refresh succeeds. */
function RefreshFacts(props: { refresh: RefreshStatus }): ReactNode {
  const { every, lastRefreshedAt, lastFailure } = props.refresh;
  return (
    <>
      <dt>Refreshed every</dt>
      <dd data-testid="refresh-every">{every}</dd>
      <dt>Last refreshed</dt>
      <dd data-testid="refresh-last">
        {lastRefreshedAt ? formatTimestamp(lastRefreshedAt, 'UTC') : 'not since the server started'}
      </dd>
      {lastFailure ? (
        <>
          <dt>Last refresh failed</dt>
          <dd className="refresh-failed" data-testid="refresh-failed">
            {formatTimestamp(lastFailure.at, 'UTC')}: {lastFailure.reason}. Showing the last good data.
          </dd>
        </>
      ) : null}
    </>
  );
}

export function Overview(props: { refresh: RefreshStatus | null }): ReactNode {
  const format = useFormat();
  const summaryPath = reportPath('fleet-summary');
  const summary = useApi<ReportJson>(summaryPath);
  const severityPath = reportPath('severity-summary');
  const severity = useApi<ReportJson>(severityPath);
  const ingests = useApi<ReportJson>(reportPath('ingest-runs', { limit: 1 }));
  return (
    <>
      <Panel title="Fleet" loaded={summary} actions={<Downloads path={summaryPath} />} testId="fleet">
        {(document) => {
          const row = document.rows[0] ?? {};
          const kpis: [string, string, string | undefined][] = [
            ['compliance_pct', 'Compliance', `${format(row.compliance_pct)} %`],
            [
              'coverage_pct',
              'Coverage (agent reporting)',
              row.coverage_pct === null || row.coverage_pct === undefined
                ? 'no instance list'
                : `${format(row.coverage_pct)} %`,
            ],
            ['nodes', 'Nodes', undefined],
            ['active', 'Active', undefined],
            ['compliant', 'Compliant', '/nodes?status=COMPLIANT'],
            ['non_compliant', 'Non-compliant', '/nodes?status=NON_COMPLIANT'],
            ['stale', 'Stale scan', '/nodes?status=STALE'],
            ['not_scanned', 'Never scanned', '/nodes?status=NOT_SCANNED'],
            ['unmanaged', 'No SSM Agent', '/nodes?status=UNMANAGED'],
            ['inactive', 'Inactive', '/nodes?status=INACTIVE'],
          ];
          return (
            <>
              {document.warnings?.map((warning) => (
                <p className="refresh-failed" role="alert" data-testid="data-warning" key={warning}>
                  {warning}
                </p>
              ))}
              <div className="kpis">
                {kpis.map(([key, label, extra]) => {
                  const value = PERCENTS.has(key) ? extra : format(row[key]);
                  const body = (
                    <>
                      <strong data-testid={`kpi-${key}`}>{value}</strong>
                      <span>{label}</span>
                    </>
                  );
                  return (
                    <div className="kpi" key={key}>
                      {extra && !PERCENTS.has(key) ? <Link href={extra}>{body}</Link> : body}
                    </div>
                  );
                })}
              </div>
            </>
          );
        }}
      </Panel>
      <div className="grid">
        <Panel
          title="What is missing, by severity"
          loaded={severity}
          actions={<Downloads path={severityPath} />}
        >
          {(document) => (
            <Chart
              kind="bar"
              horizontal
              testId="chart-severity"
              categories={document.rows.map((r) => String(r.severity))}
              series={[
                { name: 'non-compliant items', data: document.rows.map((r) => Number(r.noncompliant_items)) },
              ]}
            />
          )}
        </Panel>
        <Panel title="Freshness" loaded={ingests} testId="freshness">
          {(document) => {
            const last = document.rows[0];
            if (!last) return <p className="empty">Nothing ingested yet.</p>;
            return (
              <dl className="facts">
                <dt>Data cut-off (newest record)</dt>
                <dd>{format(last.data_time, 'timestamp')}</dd>
                <dt>Last ingest finished</dt>
                <dd>{format(last.finished_at, 'timestamp')}</dd>
                <dt>Source</dt>
                <dd>{format(last.source)}</dd>
                <dt>Lines refused</dt>
                <dd>
                  <Link href="/quality">{format(last.errors)}</Link>
                </dd>
                {props.refresh ? <RefreshFacts refresh={props.refresh} /> : null}
              </dl>
            );
          }}
        </Panel>
        {GROUPS.map(([group, column, title]) => (
          <GroupPanel key={group} group={group} column={column} title={title} />
        ))}
      </div>
    </>
  );
}
