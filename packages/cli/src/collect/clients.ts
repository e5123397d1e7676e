/**
 * The SSM, EC2 and STS clients of a collection: credentials from the AWS SDK's default chain (or `--profile`), one
 * SSM and one EC2 client per Region, and the SDK's adaptive retry mode, which backs off and slows its own request rate when
 * the service answers ThrottlingException. Nothing here reads or prints a secret.
 */
import type { SSMClientConfig } from '@aws-sdk/client-ssm';
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
  const [{ SSMClient }, { EC2Client }, { STSClient }] = await Promise.all([
    import('@aws-sdk/client-ssm'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-sts'),
  ]);
  const common = {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
  };
  return {
    sts: new STSClient({ ...common, region: options.stsRegion }),
    ssm: perRegion((region) => new SSMClient({ ...common, region })),
    ec2: perRegion((region) => new EC2Client({ ...common, region })),
  };
}

/** One client per Region, made on first use and reused after: a client holds its connections. */
function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const made = new Map<string, C>();
  return (region) => {
    let client = made.get(region);
    if (!client) {
      client = make(region);
      made.set(region, client);
    }
    return client;
  };
}
