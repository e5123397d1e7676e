/**
 * The chart itself, through ECharts' modular entry: only the chart types and components used here are bundled,
 * drawn as SVG. Labels come from the data and ECharts renders them as text. (echarts-for-react was tried and
 * left out: its build imports tslib without declaring it.) Loaded on its own (./Chart.tsx), after the page.
 *
 * No value from the data reaches ECharts as a name or a key: categories and series are indices, named by
 * formatters through chartLabel (which says why). The tooltip is built as elements rather than HTML: ECharts'
 * own tooltip markup carries style attributes, which the Content-Security-Policy (style-src 'self') refuses.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { BarChart as Bars, LineChart as Lines } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartLabel } from '@patchboard/core/visible-text';
import { chartHeight, type ChartProps } from './chart-props';

echarts.use([Bars, Lines, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const STATUS_COLOURS = new Map([
  ['compliant', '#2e7d32'],
  ['non_compliant', '#c62828'],
  ['stale', '#ef6c00'],
  ['not_scanned', '#6d4c41'],
  ['unmanaged', '#6a1b9a'],
  ['inactive', '#9e9e9e'],
]);
/** Long names (baseline ARNs, odd tag values) are cut, so the bars keep their room. */
const AXIS_LABEL_MAX = 28;
const LEGEND_LABEL_MAX = 40;
const TOOLTIP_LABEL_MAX = 80;

/** What ECharts hands an axis tooltip's formatter, one entry per series (the fields used here). */
interface AxisPoint {
  readonly dataIndex: number;
  readonly seriesIndex: number;
  readonly value: unknown;
  readonly color: unknown;
}

/** The hovered category and each series' value, as text in elements (styled by styles.css). */
function tooltip(points: readonly AxisPoint[], categories: readonly string[], names: readonly string[]) {
  const box = document.createElement('div');
  const heading = document.createElement('div');
  heading.className = 'chart-tooltip-heading';
  heading.textContent = chartLabel(categories[points[0]?.dataIndex ?? -1] ?? '', TOOLTIP_LABEL_MAX);
  box.append(heading);
  for (const point of points) {
    const line = document.createElement('div');
    const marker = document.createElement('span');
    marker.className = 'chart-tooltip-marker';
    // A property set through the CSSOM is not an inline style attribute: the policy allows it.
    if (typeof point.color === 'string') marker.style.backgroundColor = point.color;
    const value = typeof point.value === 'number' ? point.value.toLocaleString('en-US') : '–';
    line.append(marker, `${chartLabel(names[point.seriesIndex] ?? '', TOOLTIP_LABEL_MAX)}: ${value}`);
    box.append(line);
  }
  return box;
}

export default function EChart(props: ChartProps): ReactNode {
  const { kind, categories, series, stacked, horizontal } = props;
  const names = series.map((s) => s.name);
  const categoryAxis = {
    type: 'category' as const,
    data: categories.map((_, index) => String(index)),
    axisLabel: {
      hideOverlap: true,
      formatter: (index: string) => chartLabel(categories[Number(index)] ?? '', AXIS_LABEL_MAX),
    },
  };
  const valueAxis = { type: 'value' as const, max: props.yMax };
  const option = {
    animation: false,
    tooltip: {
      trigger: 'axis' as const,
      formatter: (points: AxisPoint | AxisPoint[]) =>
        tooltip(Array.isArray(points) ? points : [points], categories, names),
    },
    legend:
      series.length > 1
        ? {
            top: 0,
            type: 'scroll' as const,
            formatter: (index: string) => chartLabel(names[Number(index)] ?? '', LEGEND_LABEL_MAX),
          }
        : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: series.map((s, index) => ({
      name: String(index),
      type: kind,
      data: s.data,
      stack: stacked ? 'total' : undefined,
      color: STATUS_COLOURS.get(s.name),
      showSymbol: kind === 'line' && categories.length < 40,
      connectNulls: true,
    })),
  };
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  useEffect(() => {
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element.current!);
    return () => {
      resize.disconnect();
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    // Each chart draws in a task of its own: a page of seven charts stays responsive while they draw, and its
    // figures show first instead of after every chart (drawing one takes tens of milliseconds).
    const drawing = setTimeout(() => chart.current?.setOption(option, { notMerge: true }), 0);
    return () => clearTimeout(drawing);
  });
  const height = chartHeight(props);
  return <div className="chart" data-testid={props.testId} ref={element} style={{ height }} />;
}
