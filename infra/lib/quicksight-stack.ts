import { aws_quicksight as quicksight, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { INVENTORY_TYPES, tableColumns, type ColumnKind } from '@patchboard/core';
import { dashboardDefinition } from './quicksight/dashboard-definition.js';
import { DASHBOARD_DATASETS, reportCustomSql } from './quicksight/report-datasets.js';

export interface QuickSightStackProps extends StackProps {
  /** The QuickSight user (namespace `default`) who owns the data source and datasets. */
  readonly userName: string;
  /**
   * The QuickSight identity Region, where the account's users live (the Region QuickSight was signed up in);
   * a user ARN names that Region, not the stack's (QuickSight User Guide, "Supported Regions": identity Region).
   */
  readonly identityRegion: string;
  readonly database: string;
  readonly workgroup: string;
  /** The role the Athena data source queries as (reporting stack's QuickSightAccess). */
  readonly dataSourceRoleArn: string;
}

/** The recipe's datasets, one per table, now over engine-athena's views (typed columns, no crawler names). */
export const RECIPE_TABLES = [
  'aws_application',
  'aws_complianceitem',
  'aws_compliancesummary',
  'aws_instancedetailedinformation',
  'aws_instanceinformation',
  'aws_tag',
] as const;

const QUICKSIGHT_TYPES: Record<ColumnKind, string> = {
  text: 'STRING',
  upper: 'STRING',
  patchState: 'STRING',
  integer: 'INTEGER',
  timestamp: 'DATETIME',
};

/**
 * Optional: the recipe's QuickSight data source and datasets, in DIRECT_QUERY mode through the Patchboard
 * workgroup. The joined dataset keeps one row per node: the tag join is filtered on the Name tag and the
 * compliance join on the Patch compliance type, so neither multiplies rows. Then the datasets of three catalogue
 * reports (node compliance, missing patches, overdue patches), an analysis over them and a dashboard published
 * from the same definition, so a QuickSight user opens working visuals.
 */
export class QuickSightStack extends Stack {
  readonly analysis: quicksight.CfnAnalysis;
  readonly dashboard: quicksight.CfnDashboard;

  constructor(scope: Construct, id: string, props: QuickSightStackProps) {
    super(scope, id, props);
    const owner = `arn:${this.partition}:quicksight:${props.identityRegion}:${this.account}:user/default/${props.userName}`;
    const dataSource = new quicksight.CfnDataSource(this, 'DataSource', {
      awsAccountId: this.account,
      dataSourceId: 'patchboard-athena',
      name: 'Patchboard (Athena)',
      type: 'ATHENA',
      dataSourceParameters: {
        athenaParameters: { workGroup: props.workgroup, roleArn: props.dataSourceRoleArn },
      },
      sslProperties: { disableSsl: false },
      permissions: [
        {
          principal: owner,
          actions: [
            'quicksight:DescribeDataSource',
            'quicksight:DescribeDataSourcePermissions',
            'quicksight:PassDataSource',
            'quicksight:UpdateDataSource',
            'quicksight:UpdateDataSourcePermissions',
            'quicksight:DeleteDataSource',
          ],
        },
      ],
    });
    const dataSetPermissions = [
      {
        principal: owner,
        actions: [
          'quicksight:DescribeDataSet',
          'quicksight:DescribeDataSetPermissions',
          'quicksight:PassDataSet',
          'quicksight:DescribeIngestion',
          'quicksight:ListIngestions',
          'quicksight:UpdateDataSet',
          'quicksight:DeleteDataSet',
          'quicksight:CreateIngestion',
          'quicksight:CancelIngestion',
          'quicksight:UpdateDataSetPermissions',
        ],
      },
    ];
    for (const table of RECIPE_TABLES) {
      const type = INVENTORY_TYPES.find((t) => t.table === table);
      if (!type) throw new Error(`core has no inventory type for the table ${table}.`);
      new quicksight.CfnDataSet(this, `DataSet-${table}`, {
        awsAccountId: this.account,
        dataSetId: `patchboard-${table}`,
        name: table,
        importMode: 'DIRECT_QUERY',
        permissions: dataSetPermissions,
        physicalTableMap: {
          table: {
            relationalTable: {
              dataSourceArn: dataSource.attrArn,
              catalog: 'AwsDataCatalog',
              schema: props.database,
              name: table,
              inputColumns: tableColumns(type).map((c) => ({ name: c.name, type: QUICKSIGHT_TYPES[c.kind] })),
            },
          },
        },
      });
    }
    new quicksight.CfnDataSet(this, 'DataSet-instances-compliance', {
      awsAccountId: this.account,
      dataSetId: 'patchboard-instances-compliance',
      name: 'Instances and patch compliance',
      importMode: 'DIRECT_QUERY',
      permissions: dataSetPermissions,
      physicalTableMap: {
        joined: {
          customSql: {
            dataSourceArn: dataSource.attrArn,
            name: 'instances-compliance',
            sqlQuery: instancesComplianceSql(props.database),
            columns: [
              { name: 'capturetime', type: 'DATETIME' },
              { name: 'resourceid', type: 'STRING' },
              { name: 'Name', type: 'STRING' },
              { name: 'platformtype', type: 'STRING' },
              { name: 'platformname', type: 'STRING' },
              { name: 'platformversion', type: 'STRING' },
              { name: 'instancestatus', type: 'STRING' },
              { name: 'region', type: 'STRING' },
              { name: 'accountid', type: 'STRING' },
              { name: 'computername', type: 'STRING' },
              { name: 'ipaddress', type: 'STRING' },
              { name: 'status', type: 'STRING' },
              { name: 'patchbaselineid', type: 'STRING' },
            ],
          },
        },
      },
    });
    const reportDataSets = Object.fromEntries(
      Object.entries(DASHBOARD_DATASETS).map(([key, dataset]) => {
        const resource = new quicksight.CfnDataSet(this, `DataSet-report-${dataset.report}`, {
          awsAccountId: this.account,
          dataSetId: `patchboard-report-${dataset.report}`,
          name: `Patchboard report: ${dataset.report}`,
          importMode: 'DIRECT_QUERY',
          permissions: dataSetPermissions,
          physicalTableMap: {
            report: {
              customSql: {
                dataSourceArn: dataSource.attrArn,
                name: dataset.report,
                sqlQuery: reportCustomSql(dataset.report, props.database),
                columns: dataset.columns.map((c) => ({ name: c.name, type: c.type })),
              },
            },
          },
        });
        return [key, resource.attrArn];
      }),
    ) as Record<keyof typeof DASHBOARD_DATASETS, string>;
    const definition = dashboardDefinition(reportDataSets);
    this.analysis = new quicksight.CfnAnalysis(this, 'Analysis', {
      awsAccountId: this.account,
      analysisId: 'patchboard-compliance',
      name: 'Patchboard compliance',
      definition,
      permissions: [
        {
          principal: owner,
          actions: [
            'quicksight:DescribeAnalysis',
            'quicksight:DescribeAnalysisPermissions',
            'quicksight:QueryAnalysis',
            'quicksight:UpdateAnalysis',
            'quicksight:UpdateAnalysisPermissions',
            'quicksight:RestoreAnalysis',
            'quicksight:DeleteAnalysis',
          ],
        },
      ],
    });
    this.dashboard = new quicksight.CfnDashboard(this, 'Dashboard', {
      awsAccountId: this.account,
      dashboardId: 'patchboard-compliance',
      name: 'Patchboard compliance',
      versionDescription: 'Compliance by account, Region, team and environment; missing and overdue patches',
      definition: definition,
      dashboardPublishOptions: {
        adHocFilteringOption: { availabilityStatus: 'ENABLED' },
        exportToCsvOption: { availabilityStatus: 'ENABLED' },
      },
      permissions: [
        {
          principal: owner,
          actions: [
            'quicksight:DescribeDashboard',
            'quicksight:ListDashboardVersions',
            'quicksight:QueryDashboard',
            'quicksight:UpdateDashboard',
            'quicksight:UpdateDashboardPublishedVersion',
            'quicksight:DescribeDashboardPermissions',
            'quicksight:UpdateDashboardPermissions',
            'quicksight:DeleteDashboard',
          ],
        },
      ],
    });
  }
}

/** The recipe's joined dataset, on the Patchboard database; both joins filtered so each node is one row. */
export function instancesComplianceSql(database: string): string {
  return `SELECT instance.capturetime,
  instance.resourceid,
  tag.value AS "Name",
  instance.platformtype,
  instance.platformname,
  instance.platformversion,
  instance.instancestatus,
  instance.region,
  instance.accountid,
  instance.computername,
  instance.ipaddress,
  compliance.status,
  compliance.patchbaselineid
FROM ${database}.aws_instanceinformation AS instance
LEFT JOIN ${database}.aws_compliancesummary AS compliance
  ON instance.accountid = compliance.accountid AND instance.region = compliance.region
  AND instance.resourceid = compliance.resourceid AND compliance.compliancetype = 'Patch'
LEFT JOIN ${database}.aws_tag AS tag
  ON instance.accountid = tag.accountid AND instance.region = tag.region
  AND instance.resourceid = tag.resourceid AND tag.key = 'Name'`;
}
