import type { ReactNode } from 'react';
import { apiPath, reportPath, type Meta, type ReportJson, useApi } from '../api';
import { Chart } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { Select } from '../components/Select';
import { useUrlState } from '../url-state';

const GROUPS = ['team', 'environment', 'account', 'region', 'baseline'];
const GROUP_COLUMN: Record<string, string> = { account: 'account_id', baseline: 'baseline_id' };
const DAY_MS = 86_400_000;

export function Trends(props: { meta: Meta | undefined }): ReactNode {
  const [get, set] = useUrlState();
  const evaluated = props.meta ? Date.parse(props.meta.evaluatedAt) : undefined;
  const from = get('from') || (evaluated ? new Date(evaluated - 29 * DAY_MS).toISOString().slice(0, 10) : '');
  const by = get('by');
  const every = get('every', 'day');
  const path = from ? apiPath('/api/trend', { from, every, by: by || undefined }) : null;
  const trend = useApi<ReportJson>(path);
  const mttrPath = reportPath('mttr', { by: 'severity' });
  const mttr = useApi<ReportJson>(mttrPath);
  return (
    <>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          <span>from (UTC day)</span>
          <input type="date" value={from} onChange={(event) => set({ from: event.target.value })} />
        </label>
        <Select
          label="every"
          value={every === 'day' ? '' : every}
          options={['week']}
          anyLabel="day"
          onChange={(v) => set({ every: v })}
        />
        <Select
          label="one line per"
          value={by}
          options={GROUPS}
          anyLabel="whole fleet"
          onChange={(v) => set({ by: v })}
        />
      </form>
      <Panel
        title="Compliance % at the end of each UTC day"
        loaded={trend}
        actions={path ? <Downloads path={path} /> : undefined}
        testId="trend"
      >
        {(document) => {
          const column = by ? (GROUP_COLUMN[by] ?? by) : undefined;
          const days = [...new Set(document.rows.map((r) => String(r.at)))];
          const names = column ? [...new Set(document.rows.map((r) => String(r[column])))] : ['fleet'];
          const value = new Map(
            document.rows.map((r) => [
              `${String(r.at)}\u0000${column ? String(r[column]) : 'fleet'}`,
              r.compliance_pct,
            ]),
          );
          return (
            <>
              <Chart
                kind="line"
                testId="chart-trend"
                yMax={100}
                categories={days.map((d) => d.slice(0, 10))}
                series={names.map((name) => ({
                  name,
                  data: days.map((day) => {
                    const v = value.get(`${day}\u0000${name}`);
                    return typeof v === 'number' ? v : null;
                  }),
                }))}
              />
              <details>
                <summary>Table</summary>
                <DataTable testId="trend-table" columns={document.columns} rows={document.rows} />
              </details>
            </>
          );
        }}
      </Panel>
      <Panel
        title="Time to remediate, by severity"
        loaded={mttr}
        actions={<Downloads path={mttrPath} />}
        testId="mttr"
      >
        {(document) => <DataTable testId="mttr-table" columns={document.columns} rows={document.rows} />}
      </Panel>
    </>
  );
}
