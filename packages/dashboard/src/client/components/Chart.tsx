/**
 * A bar or line chart. ECharts is most of the client's bytes, so it loads as a chunk of its own: a page shows
 * its figures and tables first, and its charts a moment later in boxes already of their final size.
 */
import { lazy, type ReactNode, Suspense } from 'react';

export interface Series {
  readonly name: string;
  readonly data: (number | null)[];
}

export interface ChartProps {
  kind: 'bar' | 'line';
  categories: string[];
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  height?: number;
  testId?: string;
  yMax?: number;
}

export function chartHeight(props: ChartProps): number {
  return props.height ?? Math.max(180, props.horizontal ? props.categories.length * 26 + 40 : 260);
}

// Fetched when the first chart is rendered, that is once the page's first answers are on screen: evaluating
// ECharts takes the browser a few hundred milliseconds, which must not hold up the requests or the figures.
const EChart = lazy(() => import('./EChart'));

export function Chart(props: ChartProps): ReactNode {
  return (
    <Suspense fallback={<div className="chart" style={{ height: chartHeight(props) }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
