import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ENVIRONMENTS,
  OS_FAMILIES,
  patchGroupName,
  type BaselineConfig,
  type Environment,
  type OperatingSystemFamily,
} from '../config.js';

export interface PatchBaselinesProps {
  readonly baselines: Readonly<Record<Environment, Readonly<Record<OperatingSystemFamily, BaselineConfig>>>>;
  readonly linuxOperatingSystem: string;
}

/**
 * One custom baseline per environment and OS, each registered for its patch group (`prod-linux`, …). Every
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
        const group = patchGroupName(environment, os);
        const severityKey = os === 'windows' ? 'MSRC_SEVERITY' : 'SEVERITY';
        baselines[group] = new ssm.CfnPatchBaseline(this, group, {
          name: `patchboard-${group}`,
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
