import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { apiPath, type NodePage, reportPath, type ReportJson, useApi } from '../api';
import { DataTable } from '../components/DataTable';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';

const UNTAGGED = '(untagged)';

function NodeCount(props: { label: string; filters: Record<string, string>; testId: string }): ReactNode {
  const loaded = useApi<NodePage>(apiPath('/api/nodes', { ...props.filters, limit: 1 }));
  const link = `/nodes?${new URLSearchParams(props.filters).toString()}`;
  return (
    <div className="kpi">
      <Link href={link}>
        <strong data-testid={props.testId}>
          {loaded.data ? loaded.data.total.toLocaleString('en-US') : '…'}
        </strong>
        <span>{props.label}</span>
      </Link>
    </div>
  );
}

/** What stops the numbers from being trusted: refused input, scans too old, nodes nobody owns. */
export function Quality(): ReactNode {
  const errorsPath = reportPath('ingest-errors');
  const errors = useApi<ReportJson>(errorsPath);
  const runsPath = reportPath('ingest-runs', { limit: 30 });
  const runs = useApi<ReportJson>(runsPath);
  return (
    <>
      <section className="panel">
        <header>
          <h2>Coverage</h2>
        </header>
        <div className="kpis">
          <NodeCount label="stale scans" filters={{ status: 'STALE' }} testId="quality-stale" />
          <NodeCount label="never scanned" filters={{ status: 'NOT_SCANNED' }} testId="quality-not-scanned" />
          <NodeCount label="inactive" filters={{ status: 'INACTIVE' }} testId="quality-inactive" />
          <NodeCount label="without a Team tag" filters={{ team: UNTAGGED }} testId="quality-no-team" />
          <NodeCount
            label="without an Environment tag"
            filters={{ environment: UNTAGGED }}
            testId="quality-no-environment"
          />
        </div>
      </section>
      <Panel
        title="Lines refused at ingest"
        loaded={errors}
        actions={<Downloads path={errorsPath} />}
        testId="errors"
      >
        {(document) => (
          <DataTable testId="errors-table" columns={document.columns} rows={document.rows.slice(0, 1000)} />
        )}
      </Panel>
      <Panel title="Ingests" loaded={runs} actions={<Downloads path={runsPath} />} testId="ingests">
        {(document) => <DataTable testId="ingests-table" columns={document.columns} rows={document.rows} />}
      </Panel>
    </>
  );
}
