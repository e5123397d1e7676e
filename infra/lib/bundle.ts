/**
 * esbuild settings shared by every Lambda: handlers are bundled locally (no Docker) from TypeScript, with the
 * SDK versions the tests ran against bundled in, never the runtime's.
 */
import { fileURLToPath } from 'node:url';
import { buildSync, type Metafile } from 'esbuild';
import {
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  Duration,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export const INFRA_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Every function, StackSet members included. The Lambda Developer Guide ("Building Lambda functions with
 * Node.js", runtimes table) lists nodejs22.x as deprecated Apr 30, 2027 with function creation blocked from
 * Jun 1, 2027: auto-deployment to a new account would then fail. nodejs24.x: deprecation Apr 30, 2028.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild target matching the runtime. */
export const NODE_TARGET = 'node24';

/**
 * Handlers bundle our packages from their TypeScript sources (the `@patchboard/source` export condition), never
 * from a build; `module` is esbuild's default that naming any condition would otherwise drop.
 */
export const ESBUILD_CONDITIONS = ['@patchboard/source', 'module'];

export const handlerEntry = (name: string) => `${INFRA_ROOT}lambda/${name}/handler.ts`;

/** ESM bundle: `require` is provided for the few CommonJS modules some dependencies still load. */
export const ESM_BANNER =
  "import { createRequire as patchboardCreateRequire } from 'node:module'; const require = patchboardCreateRequire(import.meta.url);";

export interface HandlerFunctionProps {
  /** Folder under `lambda/` holding `handler.ts`. */
  readonly handler: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** Default 1 minute. */
  readonly timeout?: Duration;
  /** Default 256 MB. */
  readonly memorySize?: number;
}

/**
 * A NodejsFunction built the one way every handler here is built, with its own role (no AWS managed policy)
 * that may write only to the function's log group.
 */
export function handlerFunction(
  scope: Construct,
  id: string,
  props: HandlerFunctionProps,
): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description,
  });
  logGroup.grantWrite(role);
  const fn = new nodejs.NodejsFunction(scope, id, {
    role,
    logGroup,
    entry: handlerEntry(props.handler),
    handler: 'handler',
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    description: props.description,
    timeout: props.timeout ?? Duration.minutes(1),
    memorySize: props.memorySize ?? 256,
    environment: props.environment ?? {},
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    bundling: {
      format: nodejs.OutputFormat.ESM,
      mainFields: ['module', 'main'],
      banner: ESM_BANNER,
      minify: true,
      sourceMap: false,
      target: NODE_TARGET,
      // Bundle the pinned SDK clients rather than rely on the runtime's.
      externalModules: [],
      forceDockerBundling: false,
      esbuildArgs: { '--conditions': ESBUILD_CONDITIONS.join(',') },
    },
  });
  return fn;
}

export interface InlineBundle {
  readonly code: string;
  readonly metafile: Metafile;
}

/**
 * A handler bundled as CommonJS for a template's inline `ZipFile` (written as `index.js`). Inline code is the
 * one way a service-managed StackSet can ship a function to every account and Region without a code bucket
 * per Region; the SSM client comes from the Lambda runtime to keep the code under CloudFormation's limit.
 */
export function inlineBundle(name: string): InlineBundle {
  const result = buildSync({
    entryPoints: [handlerEntry(name)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    minify: true,
    external: ['@aws-sdk/*'],
    conditions: ESBUILD_CONDITIONS,
    write: false,
    metafile: true,
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for the ${name} handler.`);
  return { code: output.text, metafile: result.metafile };
}

/** CloudFormation's limit on inline Lambda code. */
export const INLINE_CODE_LIMIT = 4096;
