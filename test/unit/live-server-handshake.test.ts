/**
 * The local WebSocket server (lib/local/live-server.ts) when a client gives up during its handshake, as
 * a browser does when it renews its token: the TCP connection is reset while the live handler's
 * $connect runs. The server must neither crash (an unheard socket error is an uncaught exception in the
 * process that runs `npm start`) nor keep the connection; an accepted one gets its $disconnect.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { startLiveServer } from '#lib/local/live-server.ts';

const HANDSHAKE =
  'GET /?token=t HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  expect(check(), what).toBe(true);
}

for (const statusCode of [401, 200]) {
  it(`survives a handshake reset while $connect runs (answered ${statusCode})`, async () => {
    const routes: string[] = [];
    const logged: string[] = [];
    let release = () => {};
    const connecting = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await startLiveServer({
      log: (line) => logged.push(line),
      handler: () => async (event) => {
        routes.push(event.requestContext.routeKey);
        if (event.requestContext.routeKey === '$connect') await connecting;
        return { statusCode };
      },
    });
    const uncaught: Error[] = [];
    const onUncaught = (e: Error) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(HANDSHAKE);
      await until(() => routes.includes('$connect'), '$connect called');
      socket.resetAndDestroy();
      await sleep(50);
      release();
      if (statusCode === 200) await until(() => routes.includes('$disconnect'), '$disconnect called');
      await sleep(100);
      expect(uncaught).toEqual([]);
      expect(server.connections()).toBe(0);
    } finally {
      process.off('uncaughtException', onUncaught);
      await server.stop();
    }
  });
}
