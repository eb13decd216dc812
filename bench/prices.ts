/**
 * AWS list prices used by `npm run bench -- cost`, in one place and dated. us-east-1, on-demand, no free
 * tier. Re-check them on the AWS pricing pages before quoting a figure: prices move.
 */
export const PRICES_AS_OF = '2025-01 (us-east-1 list prices; DynamoDB on-demand after the November 2024 cut)';

export const PRICES = {
  /** DynamoDB on-demand, per write request unit and per read request unit. */
  dynamodbWriteUnit: 0.625 / 1e6,
  dynamodbReadUnit: 0.125 / 1e6,
  /** Lambda on ARM (Graviton): per GB-second and per request. */
  lambdaGbSecondArm: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** Step Functions Standard, per state transition. */
  stepFunctionsTransition: 0.025 / 1000,
  /** SES: per mail sent, per mail received (plus per 256 KB chunk received). */
  sesSend: 0.1 / 1000,
  sesReceive: 0.1 / 1000,
  sesReceiveChunk: 0.09 / 1000,
  /** S3 Standard requests. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** API Gateway REST API, per request (first 333 M a month). */
  apiGatewayRequest: 3.5 / 1e6,
  /** EventBridge custom events, per event (64 KB chunk). */
  eventBridgeEvent: 1 / 1e6,
} as const;
