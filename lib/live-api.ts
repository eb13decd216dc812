import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SILENT_ENTITIES } from '#core/live.ts';
import type { GoChatFunction } from './go-chat-function.ts';

export const LIVE_STAGE = 'live';

export interface LiveApiProps {
  /** functions/live.ts: `$connect`, `$disconnect` and `$default`. */
  socket: GoChatFunction;
  /** functions/live-fanout.ts: the table's stream → PostToConnection. */
  fanout: GoChatFunction;
  table: dynamodb.ITable;
  logRetention: logs.RetentionDays;
  /** Stage throttling. @default 50 requests/s, burst 100 */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Functions that close connections (the REST API, on a key's revocation or a role's change). */
  closers?: GoChatFunction[];
}

/**
 * Live updates on AWS (docs/live.md): an API Gateway WebSocket API whose routes all go to the live
 * function, and the fan-out on the table's stream, allowed to post to this API's stage and nothing else.
 */
export class LiveApi extends Construct {
  readonly webSocketApi: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;

  constructor(scope: Construct, id: string, props: LiveApiProps) {
    super(scope, id);
    const integration = (name: string) => new WebSocketLambdaIntegration(name, props.socket.handler);
    this.webSocketApi = new apigwv2.WebSocketApi(this, 'WebSocketApi', {
      apiName: 'gochat-live',
      description: 'Go!Chat live updates (docs/live.md)',
      connectRouteOptions: { integration: integration('ConnectIntegration') },
      disconnectRouteOptions: { integration: integration('DisconnectIntegration') },
      // The answer to a client frame (subscribed, pong, error) is the route response.
      defaultRouteOptions: { integration: integration('MessageIntegration'), returnResponse: true },
    });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: LIVE_STAGE,
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            connectionId: '$context.connectionId',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            status: '$context.status',
            error: '$context.error.message',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    // The fan-out posts to this stage's connections only (execute-api:ManageConnections).
    props.fanout.handler.addEnvironment('LIVE_ENDPOINT', this.stage.callbackUrl);
    this.stage.grantManagementApiAccess(props.fanout.handler);
    // The REST API ends the connections of a revoked key or a re-roled agent (DeleteConnection).
    for (const closer of props.closers ?? []) {
      closer.handler.addEnvironment('LIVE_ENDPOINT', this.stage.callbackUrl);
      this.stage.grantManagementApiAccess(closer.handler);
    }
    props.fanout.handler.addEventSource(
      new eventSources.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        // An event older than a minute is news to no one: the clients have caught up with updatedSince.
        maxRecordAge: Duration.seconds(60),
        retryAttempts: 2,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Only items of a workspace that a client may care about wake the fan-out (functions/core/live.ts).
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: {
              Keys: { PK: { S: lambda.FilterRule.beginsWith('WS#') } },
              NewImage: { entity: { S: [{ 'anything-but': [...SILENT_ENTITIES] }] } },
            },
          }),
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('REMOVE'),
            dynamodb: {
              Keys: { PK: { S: lambda.FilterRule.beginsWith('WS#') } },
              OldImage: { entity: { S: [{ 'anything-but': [...SILENT_ENTITIES] }] } },
            },
          }),
        ],
      }),
    );

    new CfnOutput(this, 'LiveUrl', {
      description: 'Go!Chat live updates: the WebSocket URL (docs/live.md)',
      value: this.stage.url,
    });

    Validations.of(this.webSocketApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $connect route authenticates in the live function with the REST API’s own tokens (integration key or agent token) and refuses the handshake otherwise; $default and $disconnect only ever reach connections that $connect accepted.',
    });
    for (const fn of [props.fanout, ...(props.closers ?? [])])
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(this).resolve((this.webSocketApi.node.defaultChild as apigwv2.CfnApi).logicalId)}>/${LIVE_STAGE}/*/@connections/*]`,
        reason:
          'Connection ids are only known at run time; the grant is PostToConnection and its siblings on this API’s live stage only.',
      });
    Validations.of(props.fanout.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the DynamoDB event source, does not support resource-level permissions; reading the stream itself is limited to the table stream ARN.',
    });
  }
}
