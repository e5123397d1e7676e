import { StackSynthesizer, type ISynthesisSession } from 'aws-cdk-lib';

/**
 * For templates that go where `cdk bootstrap` never ran: StackSet members and the stacks deployed with plain
 * CLI credentials (the StackSet administrator, patch operations per account).
 *
 * The default synthesizer adds the `BootstrapVersion` parameter and the `CheckBootstrapVersion` rule, which
 * fail in every unbootstrapped account. `BootstraplessSynthesizer` drops them but still names the bootstrap
 * deploy and CloudFormation execution roles in the cloud assembly ("it does still require bootstrapping, it
 * just does not support assets": aws-cdk-lib core/lib/stack-synthesizers/bootstrapless-synthesizer.ts), and
 * `CliCredentialsStackSynthesizer` uploads the template to the bootstrap asset bucket. This one emits the
 * template alone: no bootstrap parameter or rule, no role to assume, no asset, so `cdk deploy` sends the
 * template body with the caller's credentials. The CLI passes a template inline up to 50 KiB
 * (`LARGE_TEMPLATE_SIZE_KB` in aws-cdk's template-body-parameter.ts); above that it needs the bootstrap bucket,
 * which the tests guard against.
 */
export class NoBootstrapSynthesizer extends StackSynthesizer {
  addFileAsset(): never {
    throw new Error(
      `The stack ${this.boundStack.stackName} is deployed without CDK bootstrap and cannot carry file assets; inline the code or move the construct to a bootstrapped stack.`,
    );
  }

  addDockerImageAsset(): never {
    throw new Error(
      `The stack ${this.boundStack.stackName} is deployed without CDK bootstrap and cannot carry container image assets.`,
    );
  }

  synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
    this.emitArtifact(session);
  }
}
