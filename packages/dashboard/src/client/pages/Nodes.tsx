import { type ReactNode, useEffect, useState } from 'react';
import { apiPath, type Meta, type NodePage, useApi } from '../api';
import { DataTable } from '../components/DataTable';
import { Downloads } from '../components/Downloads';
import { Panel } from '../components/Panel';
import { Select } from '../components/Select';
import { NODE_FACETS, NODE_SORT_COLUMNS } from '../../shared/node-table';
import { useUrlState } from '../url-state';

const FACETS = Object.keys(NODE_FACETS) as (keyof typeof NODE_FACETS)[];
const STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'STALE', 'NOT_SCANNED', 'UNMANAGED', 'INACTIVE'];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'];
const PAGE = 50;

export function Nodes(props: { meta: Meta | undefined }): ReactNode {
  const [get, set] = useUrlState();
  const filters = Object.fromEntries(
    [...FACETS, 'status', 'severity', 'q', 'sort', 'order'].map((key) => [key, get(key)]),
  );
  const offset = Number(get('offset', '0')) || 0;
  const path = apiPath('/api/nodes', { ...filters, offset, limit: PAGE });
  const loaded = useApi<NodePage>(path);
  // Typing narrows after a pause rather than on every key.
  const [search, setSearch] = useState(get('q'));
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search !== get('q')) set({ q: search, offset: undefined });
    }, 250);
    return () => clearTimeout(timer);
    // Only a change of the text typed starts the pause; the URL's own changes must not re-apply old text.
  }, [search]);
  const filter = (key: string) => (value: string) => set({ [key]: value, offset: undefined });
  const downloads = apiPath('/api/nodes', filters);
  return (
    <Panel title="Nodes" loaded={loaded} testId="nodes" actions={<Downloads path={downloads} />}>
      {(page) => (
        <>
          <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
            {FACETS.map((facet) => (
              <Select
                key={facet}
                label={facet}
                value={get(facet)}
                options={props.meta?.facets[facet] ?? []}
                onChange={filter(facet)}
              />
            ))}
            <Select label="status" value={get('status')} options={STATUSES} onChange={filter('status')} />
            <Select
              label="highest severity"
              value={get('severity')}
              options={SEVERITIES}
              onChange={filter('severity')}
            />
            <label className="field">
              <span>search</span>
              <input
                type="search"
                value={search}
                placeholder="node id, name, team…"
                onChange={(event) => setSearch(event.target.value)}
              />
            </label>
          </form>
          <p className="count">
            <strong data-testid="nodes-total">{page.total.toLocaleString('en-US')}</strong> nodes
            {page.total > 0
              ? `, ${page.offset + 1}–${Math.min(page.offset + page.limit, page.total)} shown`
              : ''}
          </p>
          <DataTable
            testId="nodes-table"
            columns={page.columns}
            rows={page.rows}
            sortable={NODE_SORT_COLUMNS}
            sort={{ column: get('sort', 'node_id'), order: get('order', 'asc') === 'desc' ? 'desc' : 'asc' }}
            onSort={(column) =>
              set({
                sort: column,
                order: get('sort', 'node_id') === column && get('order', 'asc') === 'asc' ? 'desc' : 'asc',
                offset: undefined,
              })
            }
          />
          <nav className="pager">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => set({ offset: Math.max(0, offset - PAGE) || undefined })}
            >
              Previous
            </button>
            <button
              type="button"
              disabled={offset + PAGE >= page.total}
              onClick={() => set({ offset: offset + PAGE })}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </Panel>
  );
}
