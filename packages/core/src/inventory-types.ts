/**
 * The inventory types Patchboard stores, and the columns of each.
 *
 * One table per type, named and shaped as the AWS recipe's Glue crawler names them (`AWS:ComplianceItem` ->
 * `aws_complianceitem`, attribute `PatchState` -> column `patchstate`), so the recipe's Athena queries run
 * unchanged. Every table also has the key-path columns `accountid`, `region`, `resourcetype` and the record
 * columns `resourceid`, `capturetime`, `schemaversion`. This list is the single source for the parser, the
 * DuckDB DDL and the Athena DDL.
 */

/** How a raw JSON value is turned into a column value. */
export type ColumnKind =
  /** Text as written; a JSON number or boolean is kept as its text. */
  | 'text'
  /** Upper-cased text (statuses, severities), so `Critical` and `CRITICAL` group together. */
  | 'upper'
  /** A whole number, written by the agent as a string (`"3"`) or a number; `""` means unknown. */
  | 'integer'
  /** An ISO-8601 instant; `""` means none. Stored as TIMESTAMPTZ. */
  | 'timestamp'
  /** A patch state in any spelling (`Missing`, `MISSING`), stored as the API enum (`MISSING`). */
  | 'patchState';

export interface ColumnSpec {
  /** Column name as the Glue crawler makes it: the attribute name lower-cased. */
  readonly name: string;
  /** The attribute name in the record (matched case-insensitively). */
  readonly attribute: string;
  readonly kind: ColumnKind;
  /**
   * Changes with every collection while the state it describes stays the same (capture and execution times and
   * ids). History opens a new interval only when a non-volatile column changes, so it grows with changes.
   */
  readonly volatile?: boolean;
}

export interface InventoryTypeSpec {
  /** The type name as it appears in the bucket key, e.g. `AWS:ComplianceItem`. */
  readonly typeName: string;
  /** The table name, e.g. `aws_complianceitem`. */
  readonly table: string;
  /** Attribute columns, in table order (after the common columns). */
  readonly columns: readonly ColumnSpec[];
}

/** Columns every table starts with. The first three come from the key path, never from the body. */
export const KEY_COLUMNS = ['accountid', 'region', 'resourcetype'] as const;
export const RECORD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'resourceid', attribute: 'resourceId', kind: 'text' },
  { name: 'capturetime', attribute: 'captureTime', kind: 'timestamp', volatile: true },
  { name: 'schemaversion', attribute: 'schemaVersion', kind: 'text' },
];

const col = (attribute: string, kind: ColumnKind = 'text'): ColumnSpec => ({
  name: attribute.toLowerCase(),
  attribute,
  kind,
});
/** A column that changes with every run of the agent: see `ColumnSpec.volatile`. */
const run = (attribute: string, kind: ColumnKind = 'text'): ColumnSpec => ({
  ...col(attribute, kind),
  volatile: true,
});

const spec = (typeName: string, columns: ColumnSpec[]): InventoryTypeSpec => ({
  typeName,
  table: typeName.replace(':', '_').toLowerCase(),
  columns,
});

/** The patch catalogue `patchboard collect` writes (table `custom_patchboardcatalogue`). */
export const PATCH_CATALOGUE_TYPE = 'Custom:PatchboardCatalogue';
/**
 * Every EC2 instance, managed by SSM or not, as AWS Config or EC2 DescribeInstances knows it (table
 * `custom_patchboardec2instance`): one object per instance, key path `resourcetype=EC2Instance`, file name the
 * instance id. Written by `patchboard collect` (DescribeInstances) and derived by the ingest from the newest AWS
 * Config snapshot of each account and Region, so instances without a working agent are counted (UNMANAGED).
 */
export const EC2_INSTANCE_TYPE = 'Custom:PatchboardEc2Instance';
/** The same instances' EC2 tags, one `Key`/`Value` line per tag, as `AWS:Tag` holds a managed node's. */
export const EC2_TAG_TYPE = 'Custom:PatchboardEc2Tag';
/** Where each EC2 instance record came from: `Source` of `EC2_INSTANCE_TYPE`. */
export const EC2_INSTANCE_SOURCES = ['config', 'ec2'] as const;

export const INVENTORY_TYPES: readonly InventoryTypeSpec[] = [
  spec('AWS:InstanceInformation', [
    col('AgentType'),
    col('AgentVersion'),
    col('ComputerName'),
    col('InstanceId'),
    col('IpAddress'),
    col('PlatformName'),
    col('PlatformType'),
    col('PlatformVersion'),
    // The record's own `ResourceType` (EC2Instance | ManagedInstance) would collide with the `resourcetype`
    // key-path column: the duplicate the recipe deletes with a Lambda after every crawl. It gets its own name.
    { name: 'instanceresourcetype', attribute: 'ResourceType', kind: 'text' },
    col('AgentStatus'),
    col('InstanceStatus'),
    col('IamRole'),
  ]),
  spec('AWS:Tag', [col('Key'), col('Value')]),
  spec('AWS:PatchSummary', [
    col('PatchGroup'),
    col('BaselineId'),
    run('SnapshotId'),
    run('ExecutionId'),
    col('OwnerInformation'),
    col('InstalledCount', 'integer'),
    col('InstalledOtherCount', 'integer'),
    col('InstalledPendingRebootCount', 'integer'),
    col('InstalledRejectedCount', 'integer'),
    col('NotApplicableCount', 'integer'),
    col('UnreportedNotApplicableCount', 'integer'),
    col('MissingCount', 'integer'),
    col('FailedCount', 'integer'),
    col('CriticalNonCompliantCount', 'integer'),
    col('SecurityNonCompliantCount', 'integer'),
    col('OtherNonCompliantCount', 'integer'),
    col('AvailableSecurityUpdateCount', 'integer'),
    col('NonCompliantSeverity', 'upper'),
    run('OperationType'),
    run('OperationStartTime', 'timestamp'),
    run('OperationEndTime', 'timestamp'),
    col('InstallOverrideList'),
    col('RebootOption'),
    col('LastNoRebootInstallOperationTime', 'timestamp'),
  ]),
  spec('AWS:ComplianceItem', [
    col('ComplianceType'),
    run('ExecutionId'),
    run('ExecutionType'),
    run('ExecutionTime', 'timestamp'),
    col('Id'),
    col('Title'),
    col('Status', 'upper'),
    col('Severity', 'upper'),
    col('DocumentName'),
    col('DocumentVersion'),
    col('Classification'),
    col('PatchBaselineId'),
    col('PatchSeverity'),
    col('PatchState', 'patchState'),
    col('PatchGroup'),
    col('InstalledTime', 'timestamp'),
    col('InstallOverrideList'),
    col('CVEIds'),
    col('DetailedText'),
    col('DetailedLink'),
  ]),
  spec('AWS:ComplianceSummary', [
    col('ComplianceType'),
    col('PatchGroup'),
    col('PatchBaselineId'),
    col('Status', 'upper'),
    col('OverallSeverity', 'upper'),
    run('ExecutionId'),
    run('ExecutionType'),
    run('ExecutionTime', 'timestamp'),
    ...['Compliant', 'NonCompliant'].flatMap((status) =>
      ['Critical', 'High', 'Medium', 'Low', 'Informational', 'Unspecified'].map((level) =>
        col(`${status}${level}Count`, 'integer'),
      ),
    ),
  ]),
  spec('AWS:Application', [
    col('Name'),
    col('ApplicationType'),
    col('Publisher'),
    col('Version'),
    col('Release'),
    col('Epoch'),
    col('InstalledTime'),
    col('Architecture'),
    col('URL'),
    col('Summary'),
    col('PackageId'),
  ]),
  spec('AWS:AWSComponent', [
    col('Name'),
    col('ApplicationType'),
    col('Publisher'),
    col('Version'),
    col('InstalledTime'),
    col('Architecture'),
    col('URL'),
  ]),
  spec('AWS:InstanceDetailedInformation', [
    col('CPUModel'),
    col('CPUCores', 'integer'),
    col('CPUs', 'integer'),
    col('CPUSpeedMHz', 'integer'),
    col('CPUSockets', 'integer'),
    col('CPUHyperThreadEnabled'),
    col('OSServicePack'),
    col('KernelVersion'),
  ]),
  spec('AWS:Network', [
    col('Name'),
    col('SubnetMask'),
    col('Gateway'),
    col('DHCPServer'),
    col('DNSServer'),
    col('MacAddress'),
    col('IPV4'),
    col('IPV6'),
  ]),
  // Not written by Resource Data Sync: `patchboard collect` writes the SSM patch catalogue (DescribeAvailablePatches)
  // in this custom type, one line per patch a node is non-compliant for, so the ingest stores release dates and
  // the overdue report can start an item's clock at its patch's release when history cannot say when it began.
  spec(PATCH_CATALOGUE_TYPE, [
    col('KBId'),
    col('Id'),
    col('Title'),
    col('Product'),
    col('Classification'),
    col('Severity'),
    col('ReleaseDate', 'timestamp'),
    col('CVEIds'),
    col('AdvisoryIds'),
    col('Version'),
  ]),
  spec(EC2_INSTANCE_TYPE, [
    col('InstanceId'),
    /** EC2's state name: pending, running, stopping, stopped, shutting-down, terminated. */
    col('State'),
    col('LaunchTime', 'timestamp'),
    /** EC2's PlatformDetails (`Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`, ...). */
    col('Platform'),
    col('InstanceType'),
    col('ImageId'),
    /** `config` or `ec2` (see EC2_INSTANCE_SOURCES). */
    col('Source'),
    /** The `ec2-instance-managed-by-systems-manager` rule's verdict, where Config evaluates it. */
    col('ManagedRuleCompliance', 'upper'),
    /** The `ec2-managedinstance-patch-compliance-status-check` rule's verdict, where Config evaluates it. */
    col('PatchRuleCompliance', 'upper'),
  ]),
  spec(EC2_TAG_TYPE, [col('Key'), col('Value')]),
];

const BY_TYPE_NAME = new Map(INVENTORY_TYPES.map((t) => [t.typeName, t]));

/** The stored type for a bucket type name, or undefined for types Patchboard does not store. */
export function inventoryType(typeName: string): InventoryTypeSpec | undefined {
  return BY_TYPE_NAME.get(typeName);
}

/** All columns of a type's table, in order: key-path columns, record columns, attributes. */
export function tableColumns(
  type: InventoryTypeSpec,
): { name: string; kind: ColumnKind; volatile: boolean }[] {
  return [
    ...KEY_COLUMNS.map((name) => ({ name, kind: 'text' as const, volatile: false })),
    ...[...RECORD_COLUMNS, ...type.columns].map(({ name, kind, volatile }) => ({
      name,
      kind,
      volatile: volatile === true,
    })),
  ];
}
