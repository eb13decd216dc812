/**
 * MailboxStore on DynamoDB. A mailbox is its inbound address's item in the workspace partition
 * (`keys.mailbox`, written by the ops' `addInboundAddress`), which this store only ever updates: it never
 * creates an address, so routing (the global address item) stays the ops' business. Signatures are one
 * small item each (`keys.workspaceSignature`, `keys.agentSignature`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type FromFormat,
  fallbackMailbox,
  type Mailbox,
  type MailboxPatch,
  type MailboxStore,
  mailboxIdOf,
  type SenderIdentity,
  type SignatureOwner,
} from '#core/mailboxes.ts';
import { batchGetItems } from './items.ts';
import { keys, normalizeEmail } from './keys.ts';

type Row = Record<string, unknown>;

function toMailbox(row: Row): Mailbox {
  const address = String(row.address);
  return {
    mailboxId: mailboxIdOf(address),
    address,
    ...(typeof row.displayName === 'string' ? { displayName: row.displayName } : {}),
    fromFormat: (row.fromFormat as FromFormat | undefined) ?? 'agentFromMailbox',
    ...(typeof row.signature === 'string' ? { signature: row.signature } : {}),
    createdAt: String(row.createdAt),
    ...(typeof row.updatedAt === 'string' ? { updatedAt: row.updatedAt } : {}),
  };
}

export class DynamoMailboxStore implements MailboxStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(workspaceId: string): Promise<Mailbox[]> {
    const rows: Row[] = [];
    let start: Row | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.mailboxPrefix() },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      rows.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return rows.map(toMailbox);
  }

  async get(workspaceId: string, address: string): Promise<Mailbox | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.mailbox(workspaceId, address) }),
    );
    return out.Item ? toMailbox(out.Item) : null;
  }

  async update(workspaceId: string, address: string, patch: MailboxPatch, at: string): Promise<Mailbox | null> {
    const set: string[] = ['updatedAt = :at'];
    const remove: string[] = [];
    const values: Row = { ':at': at };
    for (const field of ['displayName', 'fromFormat', 'signature'] as const) {
      const value = patch[field];
      if (value === undefined) continue;
      if (value === null) remove.push(field);
      else {
        set.push(`${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailbox(workspaceId, address),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          // Only an address the workspace owns is a mailbox: an update never creates one.
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toMailbox(out.Attributes) : null;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return null;
      throw e;
    }
  }

  async getSignature(workspaceId: string, owner: SignatureOwner): Promise<string | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: signatureKey(workspaceId, owner) }),
    );
    return typeof out.Item?.text === 'string' ? out.Item.text : null;
  }

  async putSignature(workspaceId: string, owner: SignatureOwner, text: string | null, at: string): Promise<void> {
    const Key = signatureKey(workspaceId, owner);
    if (text === null) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
      return;
    }
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...Key, entity: 'signature', text, updatedAt: at } }),
    );
  }

  /**
   * One BatchGet for the mailbox and both signatures; the list of mailboxes only when the thread names
   * no known mailbox (then {@link fallbackMailbox} decides, from the addresses the customer wrote to).
   */
  async senderIdentity(
    workspaceId: string,
    mailbox: string | undefined,
    agentId?: string,
    wroteTo?: readonly string[],
  ): Promise<SenderIdentity | null> {
    const wanted = [
      keys.workspace(workspaceId),
      keys.workspaceSignature(workspaceId),
      ...(agentId ? [keys.agentSignature(workspaceId, agentId)] : []),
      ...(mailbox ? [keys.mailbox(workspaceId, mailbox)] : []),
    ];
    const rows = await batchGetItems(this.db, this.tableName, wanted);
    const find = (k: { PK: string; SK: string }) => rows.find((r) => r.PK === k.PK && r.SK === k.SK);
    const row = mailbox ? find(keys.mailbox(workspaceId, mailbox)) : undefined;
    // A thread from before mailboxes, a chat thread, or a mailbox since removed.
    const m = row ? toMailbox(row) : fallbackMailbox(await this.list(workspaceId), wroteTo);
    if (!m) return null;
    const ws = find(keys.workspaceSignature(workspaceId))?.text;
    const agent = agentId ? find(keys.agentSignature(workspaceId, agentId))?.text : undefined;
    const workspaceName = find(keys.workspace(workspaceId))?.name;
    return {
      address: normalizeEmail(m.address),
      ...(m.displayName ? { displayName: m.displayName } : {}),
      fromFormat: m.fromFormat,
      signatures: {
        ...(typeof ws === 'string' ? { workspace: ws } : {}),
        ...(m.signature ? { mailbox: m.signature } : {}),
        ...(typeof agent === 'string' ? { agent } : {}),
      },
      ...(typeof workspaceName === 'string' ? { workspaceName } : {}),
    };
  }
}

const signatureKey = (workspaceId: string, owner: SignatureOwner) =>
  owner.kind === 'workspace' ? keys.workspaceSignature(workspaceId) : keys.agentSignature(workspaceId, owner.agentId);
