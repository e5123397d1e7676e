import type { ReactNode } from 'react';
import { downloadPath, useAsOf, withAsOf } from '../api';

/** CSV and PDF of exactly the view on screen, rendered by the same code as the CLI's `--format csv|pdf`. */
export function Downloads(props: { path: string }): ReactNode {
  const path = withAsOf(props.path, useAsOf());
  return (
    <span className="downloads">
      <a href={downloadPath(path, 'csv')} download>
        CSV
      </a>
      <a href={downloadPath(path, 'pdf')} download>
        PDF
      </a>
    </span>
  );
}
