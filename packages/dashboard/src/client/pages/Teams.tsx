import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { reportPath, type ReportJson, useApi } from '../api';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { useFormat } from '../format';

/** One card per Team x Environment: the view a team lead is sent each month. */
export function Teams(): ReactNode {
  const format = useFormat();
  const path = reportPath('team-environment');
  const loaded = useApi<ReportJson>(path);
  return (
    <Panel title="Teams" loaded={loaded} actions={<Downloads path={path} />} testId="teams">
      {(document) => (
        <div className="cards">
          {document.rows.map((row) => {
            const team = String(row.team);
            const environment = String(row.environment);
            const nodes = `/nodes?team=${encodeURIComponent(team)}&environment=${encodeURIComponent(environment)}`;
            return (
              <article className="card" key={`${team}\u0000${environment}`} data-testid="team-card">
                <h3>
                  <span data-testid="team-name">{format(team)}</span> ·{' '}
                  <span data-testid="team-environment">{format(environment)}</span>
                </h3>
                <p className="big">
                  <strong data-testid="team-compliance">{format(row.compliance_pct)}</strong> % compliant
                </p>
                <dl className="facts compact">
                  {document.columns
                    .filter((c) => !['team', 'environment', 'compliance_pct'].includes(c.name))
                    .map((column) => (
                      <div key={column.name}>
                        <dt>{column.name}</dt>
                        <dd>{format(row[column.name], column.type)}</dd>
                      </div>
                    ))}
                </dl>
                <Link href={nodes}>Nodes</Link> ·{' '}
                <Link href={`/patches?team=${encodeURIComponent(team)}`}>Overdue patches</Link>
              </article>
            );
          })}
        </div>
      )}
    </Panel>
  );
}
