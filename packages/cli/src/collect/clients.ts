/**
 * The SSM and STS clients of a collection: credentials from the AWS SDK's default chain (or `--profile`), one
 * SSM client per Region, and the SDK's adaptive retry mode, which backs off and slows its own request rate when
 * the service answers ThrottlingException. Nothing here reads or prints a secret.
 */
import type { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import type { CollectClients } from './collector.js';

export interface ClientOptions {
  readonly profile?: string;
  /** Region of the STS call (the first collected Region). */
  readonly stsRegion: string;
  /** Attempts per request the SDK makes before giving up on throttling or a passing fault. */
  readonly maxAttempts?: number;
  /** The SDK's HTTP handler (a proxy's, or a test's stand-in for the network); default the SDK's own. */
  readonly requestHandler?: SSMClientConfig['requestHandler'];
}

export async function createCollectClients(options: ClientOptions): Promise<CollectClients> {
  // Loaded on demand: the AWS SDK is only needed by commands that talk to AWS.
  const [{ SSMClient }, { STSClient }] = await Promise.all([
    import('@aws-sdk/client-ssm'),
    import('@aws-sdk/client-sts'),
  ]);
  const common = {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
  };
  const ssm = new Map<string, SSMClient>();
  return {
    sts: new STSClient({ ...common, region: options.stsRegion }),
    ssm(region) {
      let client = ssm.get(region);
      if (!client) {
        client = new SSMClient({ ...common, region });
        ssm.set(region, client);
      }
      return client;
    },
  };
}
