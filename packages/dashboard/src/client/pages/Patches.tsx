import type { ReactNode } from 'react';
import { reportPath, type ReportJson, useApi } from '../api';
import { Chart } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { Select } from '../components/Select';
import { useUrlState } from '../url-state';
import { showInvisible } from '@patchboard/core/visible-text';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'];
const STATES = ['MISSING', 'FAILED', 'INSTALLED_PENDING_REBOOT', 'INSTALLED_REJECTED'];

/** A patch id links to the nodes that have (or had) it. */
const patchLink = (column: string, row: Record<string, unknown>) =>
  column === 'patch_id' && typeof row.patch_id === 'string'
    ? `/cve?patch=${encodeURIComponent(row.patch_id)}`
    : undefined;

export function Patches(): ReactNode {
  const [get, set] = useUrlState();
  const severity = get('severity');
  const team = get('team');
  const missingPath = reportPath('missing-patches', { severity, state: get('state') });
  const missing = useApi<ReportJson>(missingPath);
  const minDays = get('minDays', '14');
  const overduePath = reportPath('overdue-patches', {
    minDays,
    severity,
    classification: get('classification', 'security'),
    team,
  });
  const overdue = useApi<ReportJson>(overduePath);
  const bySeverity = useApi<ReportJson>(reportPath('severity-summary', { team }));
  return (
    <>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <Select
          label="severity"
          value={severity}
          options={SEVERITIES}
          onChange={(v) => set({ severity: v })}
        />
        {team ? (
          <button type="button" onClick={() => set({ team: undefined })}>
            Team {showInvisible(team)} ✕
          </button>
        ) : null}
        <Select label="state" value={get('state')} options={STATES} onChange={(v) => set({ state: v })} />
        <Select
          label="overdue classification"
          value={get('classification')}
          options={['any']}
          anyLabel="security"
          onChange={(v) => set({ classification: v })}
        />
        <label className="field">
          <span>overdue after (days)</span>
          <input
            type="number"
            min={0}
            max={3650}
            value={minDays}
            onChange={(event) =>
              set({ minDays: event.target.value === '14' ? undefined : event.target.value })
            }
          />
        </label>
      </form>
      <Panel title="Missing, failed and pending reboot, by severity" loaded={bySeverity}>
        {(document) => (
          <Chart
            kind="bar"
            stacked
            testId="chart-patch-states"
            categories={document.rows.map((r) => String(r.severity))}
            series={(['missing', 'failed', 'pending_or_rejected'] as const).map((name) => ({
              name,
              data: document.rows.map((r) => Number(r[name])),
            }))}
          />
        )}
      </Panel>
      <Panel
        title={`Overdue: non-compliant for ${minDays} days or more`}
        loaded={overdue}
        actions={<Downloads path={overduePath} />}
        testId="overdue"
      >
        {(document) => (
          <>
            <p className="count">
              <strong data-testid="overdue-count">{document.rows.length.toLocaleString('en-US')}</strong>{' '}
              overdue items on active nodes
            </p>
            <DataTable columns={document.columns} rows={document.rows.slice(0, 500)} cellLink={patchLink} />
          </>
        )}
      </Panel>
      <Panel
        title="Patches missing on active nodes"
        loaded={missing}
        actions={<Downloads path={missingPath} />}
        testId="missing"
      >
        {(document) => (
          <DataTable
            testId="missing-table"
            columns={document.columns}
            rows={document.rows.slice(0, 500)}
            cellLink={patchLink}
          />
        )}
      </Panel>
    </>
  );
}
