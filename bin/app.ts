import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '../lib/context.ts';
import { GoChatStack } from '../lib/go-chat-stack.ts';

const app = new App();
const config = configFromContext(app.node);
new GoChatStack(app, config.stackName, {
  description: 'Go!Chat mail: email ticketing back end (SES inbound, DynamoDB, Step Functions, API Gateway)',
  env: config.region ? { region: config.region } : undefined,
  goChat: config.goChat,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
