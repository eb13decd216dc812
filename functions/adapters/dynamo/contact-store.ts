/**
 * Contacts of a workspace as the API manages them: the contact, its listing by address (GSI2), its
 * address guard (the email item, one contact per address) and the card that guard carries (contact-card.ts).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, ConflictError, NotFoundError } from '#core/errors.ts';
import type { Contact } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { cardAttributes, cardFieldsUpdate, contactCardOf } from './contact-card.ts';
import type { DynamoDirectoryStore } from './directory-store.ts';
import { backoff, batchWriteItems, deleteExisting, fromItem } from './items.ts';
import { type Key, keys, normalizeEmail } from './keys.ts';
import { idOf, queryGsi2Page } from './pages.ts';

export class DynamoContactStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly directory: Pick<DynamoDirectoryStore, 'customerIdsOfContact'>,
  ) {}

  async getContact(workspaceId: string, contactId: string): Promise<Contact | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(workspaceId, contactId), ConsistentRead: true }),
    );
    return fromItem<Contact>(out.Item) ?? null;
  }

  async listContacts(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Contact>> {
    return queryGsi2Page<Contact>(this.db, this.tableName, keys.contactListingPartition(workspaceId), page, (sk) =>
      keys.contact(workspaceId, idOf(sk)),
    );
  }

  /**
   * Creates a contact, or replaces one (`previousEmail` set when its address changes). The email item
   * is the uniqueness guard: one contact per address per workspace, whoever writes it. It also carries
   * the contact's card (contact-card.ts), kept in step here: a new address takes the card along.
   */
  async putContact(contact: Contact, mode: 'create' | 'replace', previousEmail?: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.putContactOnce(contact, mode, previousEmail);
      } catch (e) {
        // A link or unlink moved the card while the address changed: copy it again.
        if (!(e instanceof CardMoved)) throw e;
        if (attempt >= 4) throw new ConflictError(`contact ${contact.contactId} kept changing: try again`);
        await backoff(attempt);
      }
    }
  }

  private async putContactOnce(contact: Contact, mode: 'create' | 'replace', previousEmail?: string): Promise<void> {
    const ws = contact.workspaceId;
    const email = normalizeEmail(contact.email);
    const before = previousEmail !== undefined ? normalizeEmail(previousEmail) : undefined;
    const emailChanged = mode === 'create' || (before !== undefined && before !== email);
    type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
    const tx: TxItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.contact(ws, contact.contactId),
            ...keys.contactListing(ws, email, contact.contactId),
            entity: 'contact',
            ...contact,
            email,
          },
          // A replace checks the address it read, so that two address changes cannot cross.
          ...(mode === 'create'
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : before !== undefined
              ? {
                  ConditionExpression: 'attribute_exists(PK) AND email = :before',
                  ExpressionAttributeValues: { ':before': before },
                }
              : { ConditionExpression: 'attribute_exists(PK)' }),
        },
      },
    ];
    if (emailChanged) {
      // The card moves to the new address with the customers it lists; its old item must not have
      // changed meanwhile (cardRev), or a link made in between would be lost.
      let customerIds: string[] = [];
      let rev = 0;
      let oldCondition: { ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> } | null =
        null;
      if (mode === 'replace' && before !== undefined) {
        const old = (
          await this.db.send(
            new GetCommand({ TableName: this.tableName, Key: keys.contactEmail(ws, before), ConsistentRead: true }),
          )
        ).Item;
        if (old?.contactId === contact.contactId) {
          const card = contactCardOf(old);
          rev = typeof old.cardRev === 'number' ? old.cardRev : 0;
          customerIds = card ? card.customerIds : await this.directory.customerIdsOfContact(ws, contact.contactId);
          oldCondition =
            typeof old.cardRev === 'number'
              ? {
                  ConditionExpression: 'contactId = :id AND cardRev = :rev',
                  ExpressionAttributeValues: { ':id': contact.contactId, ':rev': old.cardRev },
                }
              : {
                  ConditionExpression: 'contactId = :id AND attribute_not_exists(cardRev)',
                  ExpressionAttributeValues: { ':id': contact.contactId },
                };
        } else customerIds = await this.directory.customerIdsOfContact(ws, contact.contactId);
      }
      tx.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.contactEmail(ws, email),
            entity: 'contactEmail',
            ...cardAttributes(contact, customerIds, rev),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      if (oldCondition)
        tx.push({
          Delete: { TableName: this.tableName, Key: keys.contactEmail(ws, before as string), ...oldCondition },
        });
    } else {
      // Same address: the card's name, external id and failing follow the contact.
      tx.push({
        Update: {
          TableName: this.tableName,
          Key: keys.contactEmail(ws, email),
          ...cardFieldsUpdate(contact),
        },
      });
    }
    // Last, so the cancellation reasons above keep their positions.
    if (contact.externalId)
      // Chat through the API finds a contact by external id (keys.contactExternalId; a reader checks it still holds).
      tx.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.contactExternalId(ws, contact.externalId),
            entity: 'contactExternalId',
            contactId: contact.contactId,
          },
        },
      });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [contactReason, emailReason, oldReason] = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (contactReason === 'ConditionalCheckFailed') {
        if (mode === 'create') throw new AlreadyExistsError(`contact ${contact.contactId} exists`);
        if (!(await this.getContact(ws, contact.contactId)))
          throw new NotFoundError(`contact ${contact.contactId} not found`);
        throw new ConflictError(`contact ${contact.contactId} changed meanwhile: read it again`);
      }
      if (emailChanged && emailReason === 'ConditionalCheckFailed')
        throw new AlreadyExistsError(`a contact with address ${email} exists`, { email });
      if (
        (!emailChanged && emailReason === 'ConditionalCheckFailed') ||
        oldReason === 'ConditionalCheckFailed' ||
        [contactReason, emailReason, oldReason].includes('TransactionConflict')
      )
        throw new CardMoved();
      throw e;
    }
  }

  /** Deletes a contact, its address guard and its links. */
  async deleteContact(workspaceId: string, contactId: string): Promise<void> {
    const contact = await this.getContact(workspaceId, contactId);
    if (!contact) throw new NotFoundError(`contact ${contactId} not found`);
    const customerIds = await this.directory.customerIdsOfContact(workspaceId, contactId);
    await batchWriteItems(
      this.db,
      this.tableName,
      customerIds.map((c) => ({ DeleteRequest: { Key: linkKey(workspaceId, c, contactId) } })),
    );
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.contactEmail(workspaceId, contact.email),
          ConditionExpression: 'contactId = :id',
          ExpressionAttributeValues: { ':id': contactId },
        }),
      )
      .catch((e) => {
        // The guard already points at another contact: that one keeps it.
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      });
    await deleteExisting(
      this.db,
      this.tableName,
      keys.contact(workspaceId, contactId),
      `contact ${contactId} not found`,
    );
  }
}

/** A link's table key alone (its item also carries GSI2 keys). */
export const linkKey = (workspaceId: string, customerId: string, contactId: string): Key => {
  const { PK, SK } = keys.link(workspaceId, customerId, contactId);
  return { PK, SK };
};

/** The card moved under an address change: the change is read and made again. */
class CardMoved extends Error {}
