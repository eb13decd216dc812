/**
 * DirectoryStore on DynamoDB: workspaces, inbound addresses, settings, customers and contacts.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError } from '#core/errors.ts';
import type { Contact, Customer, Workspace, WorkspaceSettings } from '#core/model.ts';
import type { DirectoryStore } from '#core/ports.ts';
import { DEFAULT_SETTINGS, effectiveSettings } from '#core/settings.ts';
import { cardAttributes } from './contact-card.ts';
import { fromItem } from './items.ts';
import { keys, normalizeEmail } from './keys.ts';

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
    /** The deployment's defaults (DEFAULT_POLICY), laid under what a workspace stored. */
    protected readonly defaults: WorkspaceSettings = DEFAULT_SETTINGS,
  ) {}

  async routeAddress(address: string): Promise<string | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.inboundAddress(address) }));
    return (out.Item?.workspaceId as string | undefined) ?? null;
  }

  async getSettings(workspaceId: string): Promise<WorkspaceSettings> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.settings(workspaceId) }));
    const stored = fromItem<Partial<WorkspaceSettings>>(out.Item);
    return effectiveSettings(stored, this.defaults);
  }

  async findContactByEmail(workspaceId: string, email: string): Promise<Contact | null> {
    const ref = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contactEmail(workspaceId, email), ConsistentRead: true }),
    );
    const contactId = ref.Item?.contactId as string | undefined;
    if (!contactId) return null;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(workspaceId, contactId), ConsistentRead: true }),
    );
    return fromItem<Contact>(out.Item) ?? null;
  }

  async customerIdsOfContact(workspaceId: string, contactId: string): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.customersOfContactPartition(workspaceId, contactId) },
      }),
    );
    return (out.Items ?? []).map((i) => String(i.customerId));
  }

  async ensureContact(
    workspaceId: string,
    input: { email: string; name?: string; contactId: string; customerId: string; at: string },
  ): Promise<{ contact: Contact; customerIds: string[]; created: boolean }> {
    const email = normalizeEmail(input.email);
    const contact: Contact = {
      workspaceId,
      contactId: input.contactId,
      email,
      ...(input.name ? { name: input.name } : {}),
      createdAt: input.at,
      updatedAt: input.at,
    };
    const customer: Customer = {
      workspaceId,
      customerId: input.customerId,
      name: input.name || email,
      autoCreated: true,
      createdAt: input.at,
      updatedAt: input.at,
    };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // The email item is the uniqueness guard: a concurrent delivery creates nothing twice.
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.contactEmail(workspaceId, email),
                  entity: 'contactEmail',
                  ...cardAttributes(contact, [customer.customerId]),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.contact(workspaceId, contact.contactId),
                  ...keys.contactListing(workspaceId, email, contact.contactId),
                  entity: 'contact',
                  ...contact,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.customer(workspaceId, customer.customerId),
                  ...keys.customerListing(workspaceId, customer.name, customer.customerId),
                  entity: 'customer',
                  ...customer,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.link(workspaceId, customer.customerId, contact.contactId),
                  entity: 'link',
                  customerId: customer.customerId,
                  contactId: contact.contactId,
                },
              },
            },
          ],
        }),
      );
      return { contact, customerIds: [customer.customerId], created: true };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const existing = await this.findContactByEmail(workspaceId, email);
      if (!existing) throw e;
      return {
        contact: existing,
        customerIds: await this.customerIdsOfContact(workspaceId, existing.contactId),
        created: false,
      };
    }
  }

  async markContactFailing(workspaceId: string, email: string, reason: string, at: string): Promise<void> {
    const contact = await this.findContactByEmail(workspaceId, email);
    if (!contact) return;
    await this.setFailing(workspaceId, email, contact.contactId, { since: at, reason }, at);
  }

  async clearContactFailing(workspaceId: string, email: string, at: string): Promise<void> {
    const contact = await this.findContactByEmail(workspaceId, email);
    if (!contact?.failing) return;
    await this.setFailing(workspaceId, email, contact.contactId, undefined, at);
  }

  /** Sets or clears `failing` on the contact and on its card (the email item), in one transaction. */
  private async setFailing(
    workspaceId: string,
    email: string,
    contactId: string,
    failing: Contact['failing'],
    at: string,
  ): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.contact(workspaceId, contactId),
              UpdateExpression: failing ? 'SET failing = :f, updatedAt = :at' : 'REMOVE failing SET updatedAt = :at',
              ExpressionAttributeValues: { ':at': at, ...(failing ? { ':f': failing } : {}) },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.contactEmail(workspaceId, email),
              UpdateExpression: failing ? 'SET failing = :f' : 'REMOVE failing',
              ConditionExpression: 'contactId = :id',
              ExpressionAttributeValues: { ':id': contactId, ...(failing ? { ':f': failing } : {}) },
            },
          },
        ],
      }),
    );
  }

  async recordUnroutable(input: { sesMessageId: string; rawKey: string; recipients: string[]; at: string }) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.unroutable(input.at.slice(0, 10), input.sesMessageId), entity: 'unroutable', ...input },
      }),
    );
  }

  /** Ops: creates a workspace with its inbound addresses; an address already owned is refused. */
  async createWorkspace(workspace: Workspace, inboundAddresses: string[]): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.workspace(workspace.workspaceId),
                  ...keys.workspaceRegistry(workspace.name, workspace.workspaceId),
                  entity: 'workspace',
                  ...workspace,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...inboundAddresses.flatMap((a) => this.addressPuts(workspace.workspaceId, a, workspace.createdAt)),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException)
        throw new AlreadyExistsError('workspace or inbound address exists');
      throw e;
    }
  }

  /** Ops: adds an inbound address to a workspace; an address owned by any workspace is refused. */
  async addInboundAddress(workspaceId: string, address: string, at: string): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: this.addressPuts(workspaceId, address, at) }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) throw new AlreadyExistsError(`inbound address ${address} exists`);
      throw e;
    }
  }

  protected addressPuts(workspaceId: string, address: string, at: string) {
    const email = normalizeEmail(address);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.inboundAddress(email), entity: 'inboundAddress', workspaceId, address: email, createdAt: at },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.workspaceAddress(workspaceId, email),
            entity: 'workspaceAddress',
            address: email,
            createdAt: at,
          },
        },
      },
    ];
  }
}
