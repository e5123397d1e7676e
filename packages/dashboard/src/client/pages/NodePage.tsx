import type { ReactNode } from 'react';
import { type Column, type Row, useApi } from '../api';
import { DataTable } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { useFormat } from '../format';

interface Section {
  readonly columns: Column[];
  readonly rows: Row[];
}
interface NodeDetail {
  readonly node: Row;
  readonly columns: Column[];
  readonly tags: Section;
  readonly instance: Section;
  readonly patches: Section;
  readonly history: Section;
  readonly applications: Section;
  readonly otherCompliance: Section;
  readonly errors: Section;
}

const SECTIONS = [
  ['patches', 'Patches'],
  ['history', 'History: each time a patch was missing, and when it was fixed'],
  ['tags', 'Tags'],
  ['instance', 'EC2 instance (AWS Config or DescribeInstances)'],
  ['applications', 'Applications'],
  ['otherCompliance', 'Other compliance (associations, custom)'],
  ['errors', 'Lines refused at ingest'],
] as const;

export function NodePage(props: { account: string; region: string; node: string }): ReactNode {
  const format = useFormat();
  const path = `/api/nodes/${[props.account, props.region, props.node].map(encodeURIComponent).join('/')}`;
  const loaded = useApi<NodeDetail>(path);
  return (
    <Panel title={`Node ${props.node}`} loaded={loaded} testId="node-page">
      {(detail) => (
        <>
          <dl className="facts" data-testid="node-facts">
            {detail.columns.map((column) => (
              <div key={column.name}>
                <dt>{column.name}</dt>
                <dd data-testid={`node-${column.name}`}>{format(detail.node[column.name], column.type)}</dd>
              </div>
            ))}
          </dl>
          {SECTIONS.map(([name, title]) => (
            <section key={name} className="subsection">
              <h3>
                {title} ({detail[name].rows.length})
              </h3>
              <DataTable testId={`node-${name}`} columns={detail[name].columns} rows={detail[name].rows} />
            </section>
          ))}
        </>
      )}
    </Panel>
  );
}
