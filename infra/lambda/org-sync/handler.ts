/** Custom resource `Custom::OrganizationResourceDataSync`: one organisation sync per stack instance. */
import { SSMClient } from '@aws-sdk/client-ssm';
import { handleCustomResource, type CustomResourceEvent } from '../shared/custom-resource.js';
import { createSync, deleteSync, SYNC_CLIENT_CONFIG, type SyncProperties } from './organization-sync.js';

const ssm = new SSMClient(SYNC_CLIENT_CONFIG);

export async function handler(event: CustomResourceEvent<SyncProperties>): Promise<void> {
  await handleCustomResource(event, async (e) => {
    const props = e.ResourceProperties;
    if (e.RequestType === 'Delete') {
      // A failed Create leaves the logical id as physical id: nothing of ours to delete then.
      if (e.PhysicalResourceId === e.LogicalResourceId) return { physicalResourceId: e.LogicalResourceId };
      await deleteSync(ssm, e.PhysicalResourceId ?? props.SyncName);
      return { physicalResourceId: e.PhysicalResourceId ?? props.SyncName };
    }
    const old = e.RequestType === 'Update' ? e.OldResourceProperties : undefined;
    if (old && old.SyncName !== props.SyncName) {
      // Renamed: the old sync is the account's one organisation sync and would block the new one.
      // CloudFormation's later Delete of the old physical id then finds nothing, which is fine.
      await deleteSync(ssm, old.SyncName);
    }
    // A changed destination is replaced (delete + create) by createSync: SyncToDestination syncs cannot be
    // updated in place (UpdateResourceDataSync serves SyncFromSource only).
    const outcome = await createSync(ssm, props);
    return { physicalResourceId: props.SyncName, data: { SyncName: props.SyncName, Outcome: outcome } };
  });
}
