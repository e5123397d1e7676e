import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ENVIRONMENTS,
  OS_FAMILIES,
  type BaselineConfig,
  type Environment,
  type OperatingSystemFamily,
} from '../config.js';

export interface PatchBaselinesProps {
  readonly baselines: Readonly<Record<Environment, Readonly<Record<OperatingSystemFamily, BaselineConfig>>>>;
  readonly linuxOperatingSystem: string;
  /** The `Patch Group` tag value each baseline is registered for. */
  readonly patchGroups: Readonly<Record<Environment, Readonly<Record<OperatingSystemFamily, string>>>>;
}

/**
 * One custom baseline per environment and OS, each registered for its patch group (`prod-linux`, `nonprod-linux`, … by default). Every
 * rule sets a compliance level, so a missing patch reports a severity instead of UNSPECIFIED.
 */
export class PatchBaselines extends Construct {
  readonly baselines: Readonly<Record<string, ssm.CfnPatchBaseline>>;

  constructor(scope: Construct, id: string, props: PatchBaselinesProps) {
    super(scope, id);
    const baselines: Record<string, ssm.CfnPatchBaseline> = {};
    for (const environment of ENVIRONMENTS) {
      for (const os of OS_FAMILIES) {
        const rule = props.baselines[environment][os];
        const group = props.patchGroups[environment][os];
        const severityKey = os === 'windows' ? 'MSRC_SEVERITY' : 'SEVERITY';
        // Construct id and name stay per environment and OS whatever the patch group is called.
        baselines[group] = new ssm.CfnPatchBaseline(this, `${environment}-${os}`, {
          name: `patchboard-${environment}-${os}`,
          description: `Patchboard ${environment} ${os}: ${rule.classifications.join('/')} patches of severity ${rule.severities.join('/')}, approved after ${rule.approveAfterDays} day(s)`,
          operatingSystem: os === 'windows' ? 'WINDOWS' : props.linuxOperatingSystem,
          patchGroups: [group],
          approvalRules: {
            patchRules: [
              {
                approveAfterDays: rule.approveAfterDays,
                complianceLevel: rule.complianceLevel,
                enableNonSecurity: false,
                patchFilterGroup: {
                  patchFilters: [
                    { key: 'CLASSIFICATION', values: [...rule.classifications] },
                    { key: severityKey, values: [...rule.severities] },
                  ],
                },
              },
            ],
          },
        });
      }
    }
    this.baselines = baselines;
  }
}
