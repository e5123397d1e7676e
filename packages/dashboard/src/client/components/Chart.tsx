/**
 * A bar or line chart. ECharts is most of the client's bytes, so it loads as a chunk of its own: a page shows
 * its figures and tables first, and its charts a moment later in boxes already of their final size.
 */
import { lazy, type ReactNode, Suspense } from 'react';
import { chartHeight, type ChartProps } from './chart-props';

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
