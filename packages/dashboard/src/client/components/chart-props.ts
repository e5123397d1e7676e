/** What a chart is given, and the height it takes: shared by the lazy wrapper and the chart itself. */
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
