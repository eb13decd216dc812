/**
 * Customers of a workspace, listed by name (GSI2). Deleting one unlinks its contacts first.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError } from '#core/errors.ts';
import type { Customer } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import type { DynamoContactLinkStore } from './contact-link-store.ts';
import { deleteExisting, fromItem } from './items.ts';
import { keys } from './keys.ts';
import { batchGetEntities, idOf, queryAll, queryGsi2Page } from './pages.ts';

export class DynamoCustomerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly links: DynamoContactLinkStore,
  ) {}

  async getCustomer(workspaceId: string, customerId: string): Promise<Customer | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.customer(workspaceId, customerId), ConsistentRead: true }),
    );
    return fromItem<Customer>(out.Item) ?? null;
  }

  async listCustomers(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Customer>> {
    return queryGsi2Page<Customer>(this.db, this.tableName, keys.customerListingPartition(workspaceId), page, (sk) =>
      keys.customer(workspaceId, idOf(sk)),
    );
  }

  /** Creates or replaces a customer (its listing key follows its name). */
  async putCustomer(customer: Customer, mode: 'create' | 'replace'): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.customer(customer.workspaceId, customer.customerId),
            ...keys.customerListing(customer.workspaceId, customer.name, customer.customerId),
            entity: 'customer',
            ...customer,
          },
          ConditionExpression: mode === 'create' ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      if (mode === 'create') throw new AlreadyExistsError(`customer ${customer.customerId} exists`);
      throw new NotFoundError(`customer ${customer.customerId} not found`);
    }
  }

  /** The subset of `customerIds` that exist in the workspace (one BatchGet per 100). */
  async existingCustomerIds(workspaceId: string, customerIds: string[]): Promise<string[]> {
    const found = await batchGetEntities(
      this.db,
      this.tableName,
      [...new Set(customerIds)].map((id) => keys.customer(workspaceId, id)),
    );
    return found.map((i) => String(i.customerId));
  }

  /** Deletes a customer and its links. Threads keep the id; the caller checks there are none first. */
  async deleteCustomer(workspaceId: string, customerId: string): Promise<void> {
    const links = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.customer(workspaceId, customerId).PK, ':p': keys.linkPrefix() },
      ProjectionExpression: 'PK, SK',
    });
    // Through unlink, so that each contact's card (its email item) forgets the customer too.
    const contactIds = links.map((l) => String(l.SK).slice(keys.linkPrefix().length));
    for (let i = 0; i < contactIds.length; i += 10)
      await Promise.all(
        contactIds.slice(i, i + 10).map((contactId) =>
          this.links.unlink(workspaceId, customerId, contactId).catch((e) => {
            if (!(e instanceof NotFoundError)) throw e;
          }),
        ),
      );
    await deleteExisting(
      this.db,
      this.tableName,
      keys.customer(workspaceId, customerId),
      `customer ${customerId} not found`,
    );
  }
}
