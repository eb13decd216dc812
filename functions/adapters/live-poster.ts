/**
 * The connection poster on API Gateway's management API (PostToConnection). Locally the `ws` server
 * (lib/local/live-server.ts) serves the same API, so this very adapter posts there too.
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionPoster } from '#core/live.ts';
import type { ConnectionCloser } from '#core/live-revocation.ts';
import { recordSdkCalls } from './sdk-call-recorder.ts';

/** `endpoint`: `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>` (LIVE_ENDPOINT). */
export function managementApiClient(opts: { region: string; endpoint: string; local?: boolean }) {
  return recordSdkCalls(
    new ApiGatewayManagementApiClient({
      region: opts.region,
      endpoint: opts.endpoint,
      ...(opts.local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      maxAttempts: 2,
    }),
  );
}

export class ApiGatewayConnectionPoster implements ConnectionPoster {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async post(connectionId: string, data: string): Promise<'sent' | 'gone'> {
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data) }));
      return 'sent';
    } catch (e) {
      if (
        e instanceof GoneException ||
        (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
      )
        return 'gone';
      throw e;
    }
  }
}

/** Ends a connection (DeleteConnection); one that is already gone is as good as closed. */
export class ApiGatewayConnectionCloser implements ConnectionCloser {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async close(connectionId: string): Promise<void> {
    try {
      await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (e) {
      if (
        e instanceof GoneException ||
        (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
      )
        return;
      throw e;
    }
  }
}
