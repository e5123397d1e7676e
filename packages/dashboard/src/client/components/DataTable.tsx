import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { Column, Row } from '../api';
import { useFormat } from '../format';

export interface SortState {
  readonly column: string;
  readonly order: 'asc' | 'desc';
}

/**
 * Rows as text: React escapes every value, so a tag like `<img onerror=…>` reads as those characters. A row
 * that names a node links to the node's page.
 */
export function DataTable(props: {
  columns: readonly Column[];
  rows: readonly Row[];
  testId?: string;
  sort?: SortState;
  onSort?: (column: string) => void;
  sortable?: readonly string[];
  cellLink?: (column: string, row: Row) => string | undefined;
}): ReactNode {
  const format = useFormat();
  const { columns, rows, sort, onSort, sortable } = props;
  const nodeLink = (row: Row) =>
    typeof row.account_id === 'string' && typeof row.region === 'string' && typeof row.node_id === 'string'
      ? `/nodes/${encodeURIComponent(row.account_id)}/${encodeURIComponent(row.region)}/${encodeURIComponent(row.node_id)}`
      : undefined;
  if (rows.length === 0) return <p className="empty">No rows.</p>;
  return (
    <div className="table-wrap">
      <table data-testid={props.testId}>
        <thead>
          <tr>
            {columns.map((column) => {
              const canSort = onSort && sortable?.includes(column.name);
              const arrow = sort?.column === column.name ? (sort.order === 'asc' ? ' ▲' : ' ▼') : '';
              return (
                <th key={column.name} className={numeric(column) ? 'num' : undefined}>
                  {canSort ? (
                    <button type="button" className="link" onClick={() => onSort(column.name)}>
                      {column.name}
                      {arrow}
                    </button>
                  ) : (
                    column.name
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => {
                const text = format(row[column.name], column.type);
                const href =
                  props.cellLink?.(column.name, row) ??
                  (column.name === 'node_id' ? nodeLink(row) : undefined);
                return (
                  <td key={column.name} className={numeric(column) ? 'num' : undefined}>
                    {href ? <Link href={href}>{text}</Link> : text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const numeric = (column: Column) => column.type === 'integer' || column.type === 'number';
