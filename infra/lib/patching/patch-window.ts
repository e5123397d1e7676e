import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Environment, MaintenanceWindowConfig } from '../config.js';

export interface PatchWindowProps {
  readonly environment: Environment;
  readonly window: MaintenanceWindowConfig;
  /** Tag key naming a node's environment. */
  readonly environmentTagKey: string;
  /** The tag values that put a node in this environment (any of them). */
  readonly environmentTagValues: readonly string[];
}

/**
 * A maintenance window that installs approved patches on the environment's nodes, found by tag. The
 * baseline applied is the one registered for each node's patch group.
 */
export class PatchWindow extends Construct {
  readonly window: ssm.CfnMaintenanceWindow;
  readonly task: ssm.CfnMaintenanceWindowTask;

  constructor(scope: Construct, id: string, props: PatchWindowProps) {
    super(scope, id);
    this.window = new ssm.CfnMaintenanceWindow(this, 'Window', {
      name: `patchboard-install-${props.environment}`,
      description: `Patchboard: install approved patches on ${props.environment} nodes`,
      schedule: props.window.schedule,
      scheduleTimezone: 'UTC',
      duration: props.window.durationHours,
      cutoff: props.window.cutoffHours,
      allowUnassociatedTargets: false,
    });
    const target = new ssm.CfnMaintenanceWindowTarget(this, 'Target', {
      windowId: this.window.ref,
      name: `${props.environment}-nodes`,
      resourceType: 'INSTANCE',
      targets: [{ key: `tag:${props.environmentTagKey}`, values: [...props.environmentTagValues] }],
    });
    this.task = new ssm.CfnMaintenanceWindowTask(this, 'Install', {
      windowId: this.window.ref,
      name: 'install-patches',
      taskType: 'RUN_COMMAND',
      taskArn: 'AWS-RunPatchBaseline',
      priority: 1,
      maxConcurrency: '10%',
      maxErrors: '5%',
      targets: [{ key: 'WindowTargetIds', values: [target.ref] }],
      taskInvocationParameters: {
        maintenanceWindowRunCommandParameters: {
          parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
          timeoutSeconds: 600,
        },
      },
    });
  }
}
