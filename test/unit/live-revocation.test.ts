/**
 * Closing a caller's live connections (finding 7 of the security review): the adapter's DeleteConnection,
 * against the local WebSocket server (lib/local/live-server.ts, the stand-in of API Gateway's management
 * API) with a real client, and the command that goes to AWS.
 */
import { once } from 'node:events';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiGatewayConnectionCloser, managementApiClient } from '#adapters/live-poster.ts';
import { startLiveServer } from '#lib/local/live-server.ts';

it('closes a live connection on the local stack through the management API (DeleteConnection)', async () => {
  const connected: string[] = [];
  const server = await startLiveServer({
    handler: () => async (event) => {
      if (event.requestContext.routeKey === '$connect') connected.push(event.requestContext.connectionId);
      return { statusCode: 200 };
    },
  });
  try {
    const client = new WebSocket(server.url);
    await once(client, 'open');
    expect(connected).toHaveLength(1);
    const closer = new ApiGatewayConnectionCloser(
      managementApiClient({ region: 'us-east-1', endpoint: server.endpoint, local: true }),
    );
    const closed = once(client, 'close');
    await closer.close(connected[0]!);
    await closed;
    expect(client.readyState).toBe(WebSocket.CLOSED);
    // Closing one that is already gone is no error: the revocation goes on.
    await closer.close(connected[0]!);
  } finally {
    await server.stop();
  }
});

it('sends DeleteConnection for the connection on AWS, and takes a 410 as closed', async () => {
  const mock = mockClient(ApiGatewayManagementApiClient);
  mock
    .on(DeleteConnectionCommand, { ConnectionId: 'gone=' })
    .rejects(new GoneException({ message: 'gone', $metadata: {} }));
  mock.on(DeleteConnectionCommand).resolves({});
  const closer = new ApiGatewayConnectionCloser(new ApiGatewayManagementApiClient({ region: 'eu-west-1' }));
  await closer.close('L0SM9cOFvHcCIhw=');
  await closer.close('gone=');
  expect(mock.commandCalls(DeleteConnectionCommand).map((c) => c.args[0].input.ConnectionId)).toEqual([
    'L0SM9cOFvHcCIhw=',
    'gone=',
  ]);
  mock.restore();
});
