/**
 * The links between contacts and customers: a link item per pair, listed from either side, and the
 * customer ids kept in step on the contact's card (contact-card.ts), in the same transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError, ValidationError } from '#core/errors.ts';
import type { Contact, Customer } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { cardCustomerUpdate } from './contact-card.ts';
import { type DynamoContactStore, linkKey } from './contact-store.ts';
import { decodeCursor } from './cursor.ts';
import { backoff } from './items.ts';
import { keys, normalizeEmail } from './keys.ts';
import { batchGetEntities, cursorOf, idOf, queryGsi2Page, queryPage, sortLike } from './pages.ts';

export class DynamoContactLinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly contacts: Pick<DynamoContactStore, 'getContact'>,
  ) {}

  /**
   * Links a contact to a customer (idempotent): the customer checked to exist, the link, and the
   * customer added to the contact's card, in one transaction.
   */
  async link(workspaceId: string, customerId: string, contactId: string, at: string): Promise<void> {
    await this.changeLink('link', workspaceId, customerId, contactId, (email) => [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.customer(workspaceId, customerId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.link(workspaceId, customerId, contactId),
            entity: 'link',
            customerId,
            contactId,
            createdAt: at,
          },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.contactEmail(workspaceId, email),
          ...cardCustomerUpdate('link', customerId, contactId),
        },
      },
    ]);
  }

  /** Unlinks a contact from a customer, and takes the customer off the contact's card, together. */
  async unlink(workspaceId: string, customerId: string, contactId: string): Promise<void> {
    await this.changeLink('unlink', workspaceId, customerId, contactId, (email) => [
      {
        Delete: {
          TableName: this.tableName,
          Key: linkKey(workspaceId, customerId, contactId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      ...(email
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.contactEmail(workspaceId, email),
                ...cardCustomerUpdate('unlink', customerId, contactId),
              },
            },
          ]
        : []),
    ]);
  }

  /**
   * Runs a link change with the card of the contact's current address. The card's condition fails when
   * the address changed in between (read again), and concurrent changes of one card conflict (again).
   */
  private async changeLink(
    op: 'link' | 'unlink',
    workspaceId: string,
    customerId: string,
    contactId: string,
    items: (email: string) => NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const contact = await this.contacts.getContact(workspaceId, contactId);
      // A link needs the contact; an unlink of a contact already gone only removes the link.
      if (!contact && op === 'link') throw new NotFoundError(`contact ${contactId} not found`);
      const tx = items(contact ? normalizeEmail(contact.email) : '');
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
        return;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
        if (reasons[0] === 'ConditionalCheckFailed')
          throw new NotFoundError(
            op === 'link'
              ? `customer ${customerId} not found`
              : `contact ${contactId} is not linked to customer ${customerId}`,
          );
        const card = reasons[tx.length - 1];
        if ((card !== 'ConditionalCheckFailed' && !reasons.includes('TransactionConflict')) || attempt >= 5) throw e;
        await backoff(attempt);
      }
    }
  }

  async contactsOfCustomer(
    workspaceId: string,
    customerId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Contact>> {
    const partition = keys.customer(workspaceId, customerId).PK;
    const after = decodeCursor(page.cursor, ['sk']);
    if (after && !after.sk.startsWith(keys.linkPrefix())) throw new ValidationError('invalid cursor');
    const links = await queryPage<{ contactId: string }>(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': partition, ':p': keys.linkPrefix() },
        ...(after ? { ExclusiveStartKey: { PK: partition, SK: after.sk } } : {}),
      },
      page.limit,
      (item) => ({ sk: String(item.SK) }),
    );
    const contacts = await batchGetEntities(
      this.db,
      this.tableName,
      links.items.map((l) => keys.contact(workspaceId, l.contactId)),
    );
    return {
      items: sortLike(
        links.items.map((l) => l.contactId),
        contacts,
        'contactId',
      ) as unknown as Contact[],
      ...cursorOf(links),
    };
  }

  async customersOfContact(
    workspaceId: string,
    contactId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Customer>> {
    const links = await queryGsi2Page<{ customerId: string }>(
      this.db,
      this.tableName,
      keys.customersOfContactPartition(workspaceId, contactId),
      page,
      (sk) => linkKey(workspaceId, idOf(sk), contactId),
    );
    const customers = await batchGetEntities(
      this.db,
      this.tableName,
      links.items.map((l) => keys.customer(workspaceId, l.customerId)),
    );
    return {
      items: sortLike(
        links.items.map((l) => l.customerId),
        customers,
        'customerId',
      ) as unknown as Customer[],
      ...cursorOf(links),
    };
  }
}
