#!/usr/bin/env -S npx tsx
/**
 * The ops command line: `npx gochat <command>`. Works against AWS or the local stack: TABLE_NAME names
 * the table, and AWS_ENDPOINT_URL_DYNAMODB (if set) points at DynamoDB Local.
 *
 *   gochat workspace create --name <name> --inbound <address> [--inbound <address> ...]
 *   gochat workspace list
 *   gochat workspace add-inbound --workspace <id> --address <address>
 *   gochat api-key create --workspace <id> --name <name>
 *   gochat replay --message-id <sesMessageId>
 *
 * Workspaces exist only through here: no API key can create one.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { documentClient } from '../functions/adapters/aws-clients.ts';
import { DynamoAdminStore } from '../functions/adapters/dynamo/admin-store.ts';
import { systemClock, ulidGenerator } from '../functions/adapters/system.ts';
import { createApiKey, provisionWorkspace } from '../functions/api/use-cases/admin.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage:
  gochat workspace create --name <name> --inbound <address> [--inbound <address> ...]
  gochat workspace list
  gochat workspace add-inbound --workspace <id> --address <address>
  gochat api-key create --workspace <id> --name <name>
  gochat replay --message-id <sesMessageId>
env: TABLE_NAME (required), AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB (local)`;

/** Runs one command; returns the exit code. Exported so tests drive the very same code path. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      inbound: { type: 'string', multiple: true },
      workspace: { type: 'string' },
      address: { type: 'string' },
      'message-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const tableName = env.TABLE_NAME;
  if (!tableName) {
    io.err('TABLE_NAME is not set');
    return 2;
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  const db = documentClient({ region, ...(endpoint ? { endpoints: { dynamodb: endpoint } } : {}) });
  const admin = new DynamoAdminStore(db, tableName);
  const deps = { admin, clock: systemClock, ids: ulidGenerator };
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new UsageError(`--${flag} is required`);
    return v;
  };
  try {
    switch (command) {
      case 'workspace create': {
        const out = await provisionWorkspace(deps, {
          name: need(values.name, 'name'),
          inbound: values.inbound ?? [],
        });
        io.out(JSON.stringify({ workspaceId: out.workspace.workspaceId, apiKey: out.apiKey, keyId: out.keyId }));
        return 0;
      }
      case 'workspace list': {
        let cursor: string | undefined;
        const workspaces = [];
        do {
          const page = await admin.listWorkspaces({ limit: 100, ...(cursor ? { cursor } : {}) });
          for (const w of page.items)
            workspaces.push({ ...w, inboundAddresses: (await admin.listInboundAddresses(w.workspaceId)).map((a) => a.address) });
          cursor = page.cursor;
        } while (cursor);
        io.out(JSON.stringify(workspaces));
        return 0;
      }
      case 'workspace add-inbound': {
        const workspaceId = need(values.workspace, 'workspace');
        const address = need(values.address, 'address');
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        await admin.addInboundAddress(workspaceId, address, systemClock.now().toISOString());
        io.out(JSON.stringify({ workspaceId, address: address.toLowerCase() }));
        return 0;
      }
      case 'api-key create': {
        const workspaceId = need(values.workspace, 'workspace');
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        const key = await createApiKey(deps, workspaceId, need(values.name, 'name'));
        io.out(JSON.stringify({ workspaceId, keyId: key.keyId, apiKey: key.apiKey }));
        return 0;
      }
      case 'replay': {
        const messageId = need(values['message-id'], 'message-id');
        const { replay } = await import('./replay.ts');
        io.out(JSON.stringify(await replay(messageId, env)));
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    io.err(e instanceof UsageError ? `${e.message}\n${USAGE}` : `error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    db.destroy();
  }
}

class UsageError extends Error {}

const invokedDirectly = (() => {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
