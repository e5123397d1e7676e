import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface FleetAssociationsProps {
  /** `cron(…)` of the daily Scan. */
  readonly scanSchedule: string;
}

const ALL_NODES = [{ key: 'InstanceIds', values: ['*'] }];

/**
 * What every managed node runs outside the windows: a daily patch Scan (so compliance is fresh without
 * installing anything), SSM Agent updates, and software inventory for the Resource Data Sync.
 */
export class FleetAssociations extends Construct {
  readonly scan: ssm.CfnAssociation;
  readonly agentUpdate: ssm.CfnAssociation;
  readonly inventory: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: FleetAssociationsProps) {
    super(scope, id);
    this.scan = new ssm.CfnAssociation(this, 'DailyScan', {
      associationName: 'patchboard-daily-scan',
      name: 'AWS-RunPatchBaseline',
      parameters: { Operation: ['Scan'] },
      scheduleExpression: props.scanSchedule,
      targets: ALL_NODES,
      complianceSeverity: 'HIGH',
      maxConcurrency: '20%',
      maxErrors: '10%',
      applyOnlyAtCronInterval: true,
    });
    this.agentUpdate = new ssm.CfnAssociation(this, 'AgentUpdate', {
      associationName: 'patchboard-ssm-agent-update',
      name: 'AWS-UpdateSSMAgent',
      scheduleExpression: 'rate(14 days)',
      targets: ALL_NODES,
      maxConcurrency: '10%',
      maxErrors: '10%',
    });
    this.inventory = new ssm.CfnAssociation(this, 'SoftwareInventory', {
      associationName: 'patchboard-software-inventory',
      name: 'AWS-GatherSoftwareInventory',
      scheduleExpression: 'rate(12 hours)',
      targets: ALL_NODES,
      parameters: {
        applications: ['Enabled'],
        awsComponents: ['Enabled'],
        networkConfig: ['Enabled'],
        windowsUpdates: ['Enabled'],
        instanceDetailedInformation: ['Enabled'],
        services: ['Enabled'],
        windowsRoles: ['Enabled'],
        customInventory: ['Enabled'],
        billingInfo: ['Enabled'],
      },
    });
  }
}
