import { aws_iam as iam, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * A service principal that may assume a role only on behalf of this stack's account (`aws:SourceAccount`) and,
 * when given, only for resources matching `sourceArn` (`aws:SourceArn`): the confused-deputy guard AWS documents
 * for service role trust policies (IAM User Guide, "The confused deputy problem").
 */
export function accountScopedPrincipal(
  scope: Construct,
  service: string,
  sourceArn?: { readonly service: string; readonly resource: string; readonly region?: string },
): iam.ServicePrincipal {
  const stack = Stack.of(scope);
  return new iam.ServicePrincipal(service, {
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ...(sourceArn
        ? {
            ArnLike: {
              'aws:SourceArn': stack.formatArn({
                service: sourceArn.service,
                ...(sourceArn.region ? { region: sourceArn.region } : {}),
                resource: sourceArn.resource,
                resourceName: '*',
              }),
            },
          }
        : {}),
    },
  });
}
