import { type ReactNode, useState } from 'react';
import { reportPath, type ReportJson, useApi } from '../api';
import { DataTable } from '../components/DataTable';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { useUrlState } from '../url-state';

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;

/** A CVE id or a patch id (ALAS2-2026-201, KB5031111): every node that ever had it, and when it was fixed. */
export function Cve(): ReactNode {
  const [get, set] = useUrlState();
  const cve = get('cve');
  const patch = get('patch');
  const [typed, setTyped] = useState(cve || patch);
  const path = cve || patch ? reportPath('cve-evidence', cve ? { cve } : { patch }) : null;
  const loaded = useApi<ReportJson>(path);
  // The nodes whose items cannot name a CVE: an empty answer must not read as "not affected".
  const visibility = useApi<ReportJson>(cve ? reportPath('cve-visibility', {}) : null);
  const submit = () => {
    const value = typed.trim();
    if (CVE_ID.test(value)) set({ cve: value.toUpperCase(), patch: undefined });
    else set({ patch: value, cve: undefined });
  };
  return (
    <>
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="field wide">
          <span>CVE or patch id</span>
          <input
            name="id"
            value={typed}
            placeholder="CVE-2026-1234 or KB5031111"
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {path === null ? (
        <p className="empty">
          Give a CVE id or a patch id to see every node that had it and when it was fixed.
        </p>
      ) : (
        <Panel
          title={`Evidence for ${cve || patch}`}
          loaded={loaded}
          actions={<Downloads path={path} />}
          testId="cve-evidence"
        >
          {(document) => {
            const fixed = document.rows.filter((r) => r.installed_time !== null).length;
            return (
              <>
                <div className="kpis">
                  <div className="kpi">
                    <strong data-testid="cve-affected">{document.rows.length}</strong>
                    <span>nodes affected</span>
                  </div>
                  <div className="kpi">
                    <strong data-testid="cve-fixed">{fixed}</strong>
                    <span>fixed</span>
                  </div>
                  <div className="kpi">
                    <strong data-testid="cve-open">{document.rows.length - fixed}</strong>
                    <span>not fixed</span>
                  </div>
                </div>
                {visibility.data ? <BlindSpot rows={visibility.data.rows} /> : null}
                <DataTable testId="cve-table" columns={document.columns} rows={document.rows} />
              </>
            );
          }}
        </Panel>
      )}
    </>
  );
}

/** How many active nodes run a platform whose patch items carry no CVE ids (Ubuntu, Debian), if any. */
function BlindSpot({ rows }: { rows: ReportJson['rows'] }): ReactNode {
  const blind = rows.reduce((sum, row) => sum + Number(row.nodes), 0);
  if (blind === 0) return null;
  const platforms = rows.map((row) => `${String(row.nodes)} ${String(row.platform)}`).join(', ');
  return (
    <p className="note" data-testid="cve-blind-spot">
      {blind} of {String(rows[0]?.active_nodes)} active nodes ({platforms}) run a platform whose patch items
      carry no CVE ids — the SSM Agent writes none for apt packages — so this answer cannot include them.
      Search them by package id (e.g. openssl.amd64) instead.
    </p>
  );
}
