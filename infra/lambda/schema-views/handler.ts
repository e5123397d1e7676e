/**
 * Custom resource `Custom::PatchboardAthenaViews`: runs engine-athena's view DDL (`CREATE OR REPLACE VIEW`)
 * in the workgroup on Create and Update, and drops the views on Delete so the database can be removed.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryEngine, athenaSchema } from '@patchboard/engine-athena';
import { handleCustomResource, type CustomResourceEvent } from '../shared/custom-resource.js';
import { applyViews, dropViews } from './views.js';

export interface ViewsProperties {
  readonly Database: string;
  readonly Location: string;
  /** The AWS Config `AWSLogs/` root, when the EC2 views also read Config snapshots. */
  readonly ConfigLocation?: string;
}

const client = new AthenaClient({});

export async function handler(event: CustomResourceEvent<ViewsProperties>): Promise<void> {
  await handleCustomResource(event, async (e) => {
    const { Database: database, Location: location, ConfigLocation: configLocation } = e.ResourceProperties;
    const physicalResourceId = `${database}-views`;
    const engine = new AthenaQueryEngine({
      client,
      database,
      workgroup: process.env.ATHENA_WORKGROUP ?? 'patchboard',
      timeoutMs: 60_000,
    });
    const views = athenaSchema({
      location,
      format: 'json',
      ...(configLocation ? { configLocation } : {}),
    }).views;
    if (e.RequestType === 'Delete') {
      await dropViews(engine, views);
    } else {
      await applyViews(engine, views);
    }
    return { physicalResourceId, data: { Views: String(views.length) } };
  });
}
