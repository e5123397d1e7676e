/**
 * The chart itself, through ECharts' modular entry: only the chart types and components used here are bundled,
 * drawn as SVG. Labels come from the data and ECharts renders them as text. (echarts-for-react was tried and
 * left out: its build imports tslib without declaring it.) Loaded on its own (./Chart.tsx), after the page.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { BarChart as Bars, LineChart as Lines } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartHeight, type ChartProps } from './Chart';

echarts.use([Bars, Lines, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const STATUS_COLOURS: Record<string, string> = {
  compliant: '#2e7d32',
  non_compliant: '#c62828',
  stale: '#ef6c00',
  not_scanned: '#6d4c41',
  unmanaged: '#6a1b9a',
  inactive: '#9e9e9e',
};

export default function EChart(props: ChartProps): ReactNode {
  const { kind, categories, series, stacked, horizontal } = props;
  // Long names (baseline ARNs, odd tag values) are cut to a width, so the bars keep their room.
  const categoryAxis = {
    type: 'category' as const,
    data: categories,
    axisLabel: { hideOverlap: true, width: 170, overflow: 'truncate' as const },
  };
  const valueAxis = { type: 'value' as const, max: props.yMax };
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' as const },
    legend: series.length > 1 ? { top: 0, type: 'scroll' as const } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: series.map((s) => ({
      name: s.name,
      type: kind,
      data: s.data,
      stack: stacked ? 'total' : undefined,
      color: STATUS_COLOURS[s.name],
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
