import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  DEFAULT_BASELINES,
  DEFAULT_ENVIRONMENT_TAG_VALUES,
  DEFAULT_PATCH_GROUPS,
  DEFAULT_WINDOWS,
  ENVIRONMENTS,
  type PatchOperationsConfig,
} from './config.js';
import { FleetAssociations } from './patching/fleet-associations.js';
import { InstallOnNonCompliance } from './patching/install-on-non-compliance.js';
import { PatchBaselines } from './patching/patch-baselines.js';
import { PatchWindow } from './patching/patch-window.js';
import { NoBootstrapSynthesizer } from './no-bootstrap-synthesizer.js';

export interface PatchOperationsStackProps extends StackProps {
  readonly config: PatchOperationsConfig;
}

/**
 * Patch operations of one account and Region (deployed to many through a StackSet, see infra/README.md):
 * baselines per environment and OS, install windows, a daily Scan, agent updates and inventory.
 */
export class PatchOperationsStack extends Stack {
  readonly baselines: PatchBaselines;
  readonly windows: readonly PatchWindow[];
  readonly associations: FleetAssociations;
  readonly installOnNonCompliance?: InstallOnNonCompliance;

  constructor(scope: Construct, id: string, props: PatchOperationsStackProps) {
    // Deployed as a StackSet or with `cdk deploy` to accounts that were never CDK-bootstrapped.
    super(scope, id, { ...props, synthesizer: new NoBootstrapSynthesizer() });
    const config = props.config;
    this.baselines = new PatchBaselines(this, 'Baselines', {
      baselines: config.baselines ?? DEFAULT_BASELINES,
      linuxOperatingSystem: config.linuxOperatingSystem ?? 'AMAZON_LINUX_2023',
      patchGroups: config.patchGroups ?? DEFAULT_PATCH_GROUPS,
    });
    const tagValues = config.environmentTagValues ?? DEFAULT_ENVIRONMENT_TAG_VALUES;
    const windows = config.windows ?? DEFAULT_WINDOWS;
    this.windows = ENVIRONMENTS.map(
      (environment) =>
        new PatchWindow(this, `Window-${environment}`, {
          environment,
          window: windows[environment],
          environmentTagKey: config.environmentTagKey ?? 'Environment',
          environmentTagValues: tagValues[environment],
        }),
    );
    this.associations = new FleetAssociations(this, 'Associations', {
      scanSchedule: config.scanSchedule ?? 'cron(30 0 * * ? *)',
    });
    if (config.installOnNonCompliance) {
      this.installOnNonCompliance = new InstallOnNonCompliance(this, 'InstallOnNonCompliance');
    }
  }
}
