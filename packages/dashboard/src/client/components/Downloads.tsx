import type { ReactNode } from 'react';
import { downloadPath } from '../api';

/** CSV and PDF of exactly the view on screen, rendered by the same code as the CLI's `--format csv|pdf`. */
export function Downloads(props: { path: string }): ReactNode {
  return (
    <span className="downloads">
      <a href={downloadPath(props.path, 'csv')} download>
        CSV
      </a>
      <a href={downloadPath(props.path, 'pdf')} download>
        PDF
      </a>
    </span>
  );
}
