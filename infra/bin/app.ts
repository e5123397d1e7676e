/** The CDK app: `npx cdk synth` (offline) writes every stack's template to cdk.out. */
import { App } from 'aws-cdk-lib';
import { appConfigFromContext } from '../lib/app-config.js';
import { APP_CONTEXT, buildApp } from '../lib/patchboard-app.js';

const app = new App({ context: APP_CONTEXT });
buildApp(
  app,
  appConfigFromContext((key) => app.node.tryGetContext(key)),
);
app.synth();
