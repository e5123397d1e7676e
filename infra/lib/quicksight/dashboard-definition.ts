/**
 * The Patchboard sheet of the QuickSight analysis and of the dashboard published from it: compliance by
 * account, Region, team and environment; missing patches by severity; the overdue items. One definition
 * serves both resources (CloudFormation AWS::QuickSight::Analysis `Definition` and AWS::QuickSight::Dashboard
 * `Definition` share the visual types).
 */
import type { aws_quicksight as quicksight } from 'aws-cdk-lib';
import { DASHBOARD_DATASETS } from './report-datasets.js';

type Definition = quicksight.CfnAnalysis.AnalysisDefinitionProperty;
type Visual = quicksight.CfnAnalysis.VisualProperty;
type DatasetKey = keyof typeof DASHBOARD_DATASETS;

const column = (dataset: DatasetKey, name: string) => ({ dataSetIdentifier: dataset, columnName: name });
const title = (text: string) => ({ visibility: 'VISIBLE', formatText: { plainText: text } });

/** Nodes per value of `dimension`, stacked by compliance status. */
function nodesBy(dimension: string, heading: string): Visual {
  const id = `nodes-by-${dimension.replace(/_/g, '-')}`;
  return {
    barChartVisual: {
      visualId: id,
      title: title(heading),
      chartConfiguration: {
        orientation: 'HORIZONTAL',
        barsArrangement: 'STACKED',
        fieldWells: {
          barChartAggregatedFieldWells: {
            category: [
              {
                categoricalDimensionField: { fieldId: `${id}-category`, column: column('nodes', dimension) },
              },
            ],
            values: [
              {
                categoricalMeasureField: {
                  fieldId: `${id}-count`,
                  column: column('nodes', 'node_id'),
                  aggregationFunction: 'COUNT',
                },
              },
            ],
            colors: [
              { categoricalDimensionField: { fieldId: `${id}-status`, column: column('nodes', 'status') } },
            ],
          },
        },
      },
    },
  };
}

const missingBySeverity: Visual = {
  barChartVisual: {
    visualId: 'missing-by-severity',
    title: title('Missing patches by severity (nodes affected)'),
    chartConfiguration: {
      orientation: 'VERTICAL',
      barsArrangement: 'STACKED',
      fieldWells: {
        barChartAggregatedFieldWells: {
          category: [
            {
              categoricalDimensionField: {
                fieldId: 'missing-severity',
                column: column('missing', 'severity'),
              },
            },
          ],
          values: [
            {
              numericalMeasureField: {
                fieldId: 'missing-nodes',
                column: column('missing', 'node_count'),
                aggregationFunction: { simpleNumericalAggregation: 'SUM' },
              },
            },
          ],
          colors: [
            { categoricalDimensionField: { fieldId: 'missing-state', column: column('missing', 'state') } },
          ],
        },
      },
    },
  },
};

const OVERDUE_COLUMNS = [
  'account_id',
  'region',
  'node_id',
  'team',
  'environment',
  'patch_id',
  'severity',
  'classification',
  'days_outstanding',
] as const;

const overdueItems: Visual = {
  tableVisual: {
    visualId: 'overdue-items',
    title: title('Overdue items (longest outstanding first)'),
    chartConfiguration: {
      fieldWells: {
        tableUnaggregatedFieldWells: {
          values: OVERDUE_COLUMNS.map((name) => ({
            fieldId: `overdue-${name}`,
            column: column('overdue', name),
          })),
        },
      },
      sortConfiguration: {
        rowSort: [{ fieldSort: { fieldId: 'overdue-days_outstanding', direction: 'DESC' } }],
      },
    },
  },
};

/** The analysis/dashboard definition over the three datasets, given their ARNs. */
export function dashboardDefinition(dataSetArns: Readonly<Record<DatasetKey, string>>): Definition {
  return {
    dataSetIdentifierDeclarations: (Object.keys(DASHBOARD_DATASETS) as DatasetKey[]).map((key) => ({
      identifier: key,
      dataSetArn: dataSetArns[key],
    })),
    sheets: [
      {
        sheetId: 'patch-compliance',
        name: 'Patch compliance',
        visuals: [
          nodesBy('account_id', 'Nodes by account and compliance status'),
          nodesBy('region', 'Nodes by Region and compliance status'),
          nodesBy('team', 'Nodes by team and compliance status'),
          nodesBy('environment', 'Nodes by environment and compliance status'),
          missingBySeverity,
          overdueItems,
        ],
      },
    ],
  };
}
