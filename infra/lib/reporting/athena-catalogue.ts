import { createHash } from 'node:crypto';
import type { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { aws_glue as glue, aws_iam as iam, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { athenaSchema, checkDatabaseName, renderViewDdl, type AthenaTable } from '@patchboard/engine-athena';
import { handlerFunction } from '../bundle.js';
import { grantQueryResults } from './grant-query-results.js';

export interface AthenaCatalogueProps {
  readonly database: string;
  /** `s3://bucket/prefix/` the syncs write under. */
  readonly location: string;
  /** The AWS Config `AWSLogs/` root, when snapshots are read: adds engine-athena's Config snapshot table. */
  readonly configLocation?: string;
  readonly syncBucket: s3.IBucket;
  readonly resultsBucket: s3.Bucket;
  readonly key: kms.IKey;
  readonly workgroup: string;
}

/**
 * The Glue database and tables of engine-athena's schema, and its views. No crawler and no column-fixing
 * Lambda: the tables are declared from core's inventory specs. Partitions: none, as the schema chose (a new
 * account or Region is read as soon as its first object lands; see engine-athena schema.ts). The views are
 * Trino SQL, which Glue cannot hold without Athena's own encoding, so a custom resource runs their DDL through
 * the workgroup, and re-runs it whenever the view SQL changes.
 */
export class AthenaCatalogue extends Construct {
  readonly databaseName: string;
  readonly tables: readonly glue.CfnTable[];
  readonly views: CustomResource;

  constructor(scope: Construct, id: string, props: AthenaCatalogueProps) {
    super(scope, id);
    this.databaseName = checkDatabaseName(props.database);
    const schema = athenaSchema({
      location: props.location,
      format: 'json',
      ...(props.configLocation ? { configLocation: props.configLocation } : {}),
    });
    const account = Stack.of(this).account;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'Patchboard: Systems Manager inventory from the organisation Resource Data Sync',
      },
    });
    this.tables = schema.tables.map((table) => {
      const resource = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: this.databaseName,
        tableInput: glueTableInput(table),
      });
      resource.addResourceDependency(database);
      return resource;
    });

    const viewStatements = schema.views.map(renderViewDdl);
    const viewsFunction = handlerFunction(this, 'ViewsFunction', {
      handler: 'schema-views',
      description: 'Patchboard: creates the Athena views of the inventory schema',
      timeout: Duration.minutes(10),
      environment: { ATHENA_WORKGROUP: props.workgroup },
    });
    grantQueryResults(viewsFunction.role!, props.resultsBucket, props.key);
    viewsFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'athena',
            resource: 'workgroup',
            resourceName: props.workgroup,
          }),
        ],
      }),
    );
    viewsFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:CreateTable',
          'glue:UpdateTable',
          'glue:DeleteTable',
        ],
        resources: [
          Stack.of(this).formatArn({ service: 'glue', resource: 'catalog' }),
          Stack.of(this).formatArn({
            service: 'glue',
            resource: 'database',
            resourceName: this.databaseName,
          }),
          // The view DDL reads the tables and creates, replaces or drops the views: each named, no wildcard.
          ...[...schema.tables.map((t) => t.name), ...schema.views.map((v) => v.name)].map((name) =>
            Stack.of(this).formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${this.databaseName}/${name}`,
            }),
          ),
        ],
      }),
    );
    this.views = new CustomResource(this, 'Views', {
      serviceToken: viewsFunction.functionArn,
      resourceType: 'Custom::PatchboardAthenaViews',
      properties: {
        Database: this.databaseName,
        Location: props.location,
        ...(props.configLocation ? { ConfigLocation: props.configLocation } : {}),
        // Any change to the view SQL changes this and re-runs the DDL.
        ViewsSha256: createHash('sha256').update(viewStatements.join('\n;\n')).digest('hex'),
      },
    });
    for (const table of this.tables) this.views.node.addDependency(table);
  }
}

/** engine-athena's table, as Glue's TableInput spells it. */
export function glueTableInput(table: AthenaTable): glue.CfnTable.TableInputProperty {
  return {
    name: table.name,
    tableType: 'EXTERNAL_TABLE',
    parameters: { EXTERNAL: 'TRUE', ...table.tableProperties },
    partitionKeys: [],
    storageDescriptor: {
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      location: table.location,
      inputFormat: table.inputFormat,
      outputFormat: table.outputFormat,
      serdeInfo: { serializationLibrary: table.serde, parameters: { ...table.serdeProperties } },
    },
  };
}
