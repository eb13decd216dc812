import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { App, CfnOutput, Validations } from 'aws-cdk-lib';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '#lib/context.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { repoPath } from '#lib/paths.ts';

// The Inbox's files are an asset of the stack: build them (Vite, a second or two) when they are missing.
const webDist = repoPath('web/dist');
if (!existsSync(`${webDist}/index.html`)) execFileSync('npm', ['run', 'build', '-w', 'web'], { stdio: 'inherit' });
// The widget's loader and frame app, likewise.
const widgetDist = repoPath('widget/dist/widget');
if (!existsSync(`${widgetDist}/widget.js`)) execFileSync('npm', ['run', 'build', '-w', 'widget'], { stdio: 'inherit' });

const app = new App();
const config = configFromContext(app.node);
const stack = new GoChatStack(app, config.stackName, {
  description: 'Go!Chat mail: email ticketing back end (SES inbound, DynamoDB, Step Functions, API Gateway)',
  env: config.region ? { region: config.region } : undefined,
  goChat: config.goChat,
  web: { appSource: Source.asset(webDist) },
  widget: { sources: [Source.asset(widgetDist)] },
});
if (stack.web) new CfnOutput(stack, 'InboxUrl', { value: stack.web.url, description: 'The agent Inbox (API at /v1)' });
if (stack.web)
  new CfnOutput(stack, 'WidgetLoaderUrl', {
    value: `${stack.web.url}/widget/widget.js`,
    description: 'The end-user widget: <script src=… data-workspace=…> (docs/widget.md)',
  });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
