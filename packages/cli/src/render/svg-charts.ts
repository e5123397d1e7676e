/**
 * Charts as SVG text, rendered on the server by ECharts (no browser, no script in the document). Only the
 * chart types used are registered, which keeps the import small. Labels come from the data: ECharts escapes
 * them in SVG text, and a test holds it to that. A category axis holds the groups' indices and a formatter
 * names them (chartLabel in @patchboard/core says why a data value is never handed to ECharts as a key).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { LegacyGridContainLabel } from 'echarts/features';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartLabel } from '@patchboard/core';

// containLabel keeps long labels (baseline ids, team names) inside the chart; ECharts 6 has it as a feature.
echarts.use([BarChart, GridComponent, LegendComponent, LegacyGridContainLabel, SVGRenderer]);

/** Status colours: distinguishable with the common colour-vision deficiencies (Okabe-Ito). */
export const STATUS_COLOURS = {
  COMPLIANT: '#009E73',
  NON_COMPLIANT: '#D55E00',
  STALE: '#E69F00',
  NOT_SCANNED: '#56B4E9',
  UNMANAGED: '#CC79A7',
  INACTIVE: '#999999',
} as const;
export type ChartStatus = keyof typeof STATUS_COLOURS;

function render(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const heightFor = (bars: number) => Math.max(120, 50 + bars * 26);
/** Long enough for a baseline ARN (about 70 characters); a longer label would squeeze the bars. */
const LABEL_MAX = 80;

/** A category axis of `labels`: indices as its data, each shown as its label. */
function categoryAxis(labels: readonly string[]): echarts.EChartsCoreOption {
  const shown = labels.map((label) => chartLabel(label, LABEL_MAX));
  return {
    type: 'category',
    inverse: true,
    data: labels.map((_, index) => String(index)),
    axisLabel: { formatter: (index: string) => shown[Number(index)] ?? '' },
  };
}

/** One horizontal bar per group, stacked by node status. */
export function statusBarsSvg(
  groups: readonly { label: string; counts: Partial<Record<ChartStatus, number>> }[],
  width = 900,
): string {
  const statuses = Object.keys(STATUS_COLOURS) as ChartStatus[];
  return render(
    {
      legend: { top: 0, data: statuses },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: categoryAxis(groups.map((g) => g.label)),
      series: statuses.map((status) => ({
        name: status,
        type: 'bar',
        stack: 'nodes',
        itemStyle: { color: STATUS_COLOURS[status] },
        data: groups.map((g) => g.counts[status] ?? 0),
      })),
    },
    width,
    heightFor(groups.length),
  );
}

/** One horizontal bar per group: a percentage, labelled with its value. */
export function percentBarsSvg(
  items: readonly { label: string; value: number | null }[],
  width = 900,
): string {
  return render(
    {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: categoryAxis(items.map((i) => i.label)),
      series: [
        {
          type: 'bar',
          itemStyle: { color: '#0072B2' },
          label: { show: true, position: 'right', formatter: '{c} %' },
          data: items.map((i) => i.value ?? 0),
        },
      ],
    },
    width,
    heightFor(items.length),
  );
}
