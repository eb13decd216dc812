/**
 * The directory as the integrator API and the ops CLI manage it: customers, contacts and their links,
 * templates, settings, API keys and the workspace registry. It extends the DirectoryStore that ingest
 * uses, so both read and write the very same items. Every key comes from keys.ts; every workspace-owned
 * key is built from the caller's workspace id, so an id of another workspace simply is not found.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Scope } from '#core/access.ts';
import { AlreadyExistsError, ConflictError, NotFoundError, ValidationError } from '#core/errors.ts';
import type { Actor, Contact, Customer, Template, Workspace, WorkspaceSettings } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { cardAttributes, cardCustomerUpdate, cardFieldsUpdate, contactCardOf } from './contact-card.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { DynamoDirectoryStore } from './directory-store.ts';
import { backoff, batchGetItems, batchWriteItems, fromItem } from './items.ts';
import { type Key, keys, normalizeEmail } from './keys.ts';

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  /** `gck_<keyId>`: enough to recognise a key, never to use it. */
  displayPrefix: string;
  createdAt: string;
  createdBy?: Actor;
  revokedAt?: string;
  /** Absent on keys made before scopes existed: those have every scope (core/access.ts `keyScopes`). */
  scopes?: Scope[];
}

/**
 * What an API write with an `Idempotency-Key` left behind (`keys.idempotency`). `reserved` holds the ids
 * that the first attempt chose, so an attempt that takes over after a crash creates the very same things.
 */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the operation, its path, the actor and the body: another request under the key is refused. */
  fingerprint: string;
  state: 'pending' | 'done';
  reserved: Record<string, string>;
  /** The ids of what the request created, once done. */
  result?: Record<string, string>;
  /** Which attempt holds the lease, and until when (epoch ms): a crashed attempt's lease runs out. */
  owner: string;
  lockedUntil: number;
  createdAt: string;
  /** TTL (epoch seconds): the key is remembered this long. */
  expiresAt: number;
}

export type IdempotencyClaim =
  /** This attempt holds the lease and runs the request (with `record.reserved`). */
  | { kind: 'claimed'; record: IdempotencyRecord }
  /** An earlier attempt finished: replay its result. */
  | { kind: 'done'; record: IdempotencyRecord }
  /** An earlier attempt is still running. */
  | { kind: 'busy'; record: IdempotencyRecord }
  /** The key was used for a different request. */
  | { kind: 'mismatch'; record: IdempotencyRecord };

export interface StoredSettings extends WorkspaceSettings {
  updatedAt?: string;
  updatedBy?: Actor;
}

/** The id after the last `#` of a listing sort key (`<name>#<id>`, `CUST#<id>`). */
const idOf = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);

export class DynamoAdminStore extends DynamoDirectoryStore {
  // ---------- workspaces (ops only: no API route reaches these) ----------

  async getWorkspace(workspaceId: string): Promise<Workspace | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.workspace(workspaceId) }));
    return fromItem<Workspace>(out.Item) ?? null;
  }

  async listWorkspaces(page: { limit: number; cursor?: string }): Promise<Page<Workspace>> {
    return this.pageGsi2<Workspace>(keys.workspaceRegistryPartition(), page, (sk) => keys.workspace(idOf(sk)));
  }

  async listInboundAddresses(workspaceId: string): Promise<Array<{ address: string; createdAt: string }>> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.workspaceAddressPrefix() },
    });
    return items.map((i) => ({ address: String(i.address), createdAt: String(i.createdAt) }));
  }

  // ---------- settings ----------

  async putSettings(workspaceId: string, settings: WorkspaceSettings, actor: Actor, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.settings(workspaceId), entity: 'settings', ...settings, updatedAt: at, updatedBy: actor },
      }),
    );
  }

  // ---------- API keys ----------

  /** Stores a key's record and its hash (the lookup item) together. */
  async createApiKey(workspaceId: string, record: ApiKeyRecord, hash: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.apiKeyHash(hash),
                entity: 'apiKeyHash',
                workspaceId,
                keyId: record.keyId,
                ...(record.scopes ? { scopes: record.scopes } : {}),
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.apiKey(workspaceId, record.keyId), entity: 'apiKey', ...record, hash },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  }

  /** The workspace and key id of a live key, by the hash of the presented key. */
  async findApiKeyByHash(hash: string): Promise<{ workspaceId: string; keyId: string; scopes?: unknown } | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKeyHash(hash) }));
    if (!out.Item) return null;
    return {
      workspaceId: String(out.Item.workspaceId),
      keyId: String(out.Item.keyId),
      ...(out.Item.scopes ? { scopes: out.Item.scopes } : {}),
    };
  }

  async listApiKeys(workspaceId: string): Promise<ApiKeyRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.apiKeyPrefix() },
    });
    return items.map((i) => {
      return fromItem<ApiKeyRecord>(i, 'hash');
    });
  }

  /** Revokes a key: its hash item goes (it stops working at once), its record stays, marked revoked. */
  async revokeApiKey(workspaceId: string, keyId: string, at: string): Promise<void> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKey(workspaceId, keyId), ConsistentRead: true }),
    );
    if (!out.Item) throw new NotFoundError(`api key ${keyId} not found`);
    if (out.Item.revokedAt) return;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: keys.apiKeyHash(String(out.Item.hash)) } },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.apiKey(workspaceId, keyId),
              UpdateExpression: 'SET revokedAt = :at',
              ExpressionAttributeValues: { ':at': at },
            },
          },
        ],
      }),
    );
  }

  // ---------- templates ----------

  async getTemplate(workspaceId: string, templateId: string): Promise<Template | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.template(workspaceId, templateId), ConsistentRead: true }),
    );
    return fromItem<Template>(out.Item) ?? null;
  }

  async listTemplates(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Template>> {
    const partition = keys.workspacePartition(workspaceId);
    const after = decodeCursor(page.cursor, ['sk']);
    if (after && !after.sk.startsWith(keys.templatePrefix())) throw new ValidationError('invalid cursor');
    return this.page<Template>(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': partition, ':p': keys.templatePrefix() },
        ...(after ? { ExclusiveStartKey: { PK: partition, SK: after.sk } } : {}),
      },
      page.limit,
      (item) => ({ sk: String(item.SK) }),
    );
  }

  /** Creates (`mustNotExist`) or replaces (`mustExist`) a template. */
  async putTemplate(template: Template, mode: 'create' | 'replace'): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.template(template.workspaceId, template.templateId), entity: 'template', ...template },
          ConditionExpression: mode === 'create' ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      if (mode === 'create') throw new AlreadyExistsError(`template ${template.templateId} exists`);
      throw new NotFoundError(`template ${template.templateId} not found`);
    }
  }

  async deleteTemplate(workspaceId: string, templateId: string): Promise<void> {
    await this.deleteExisting(keys.template(workspaceId, templateId), `template ${templateId} not found`);
  }

  // ---------- customers ----------

  async getCustomer(workspaceId: string, customerId: string): Promise<Customer | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.customer(workspaceId, customerId), ConsistentRead: true }),
    );
    return fromItem<Customer>(out.Item) ?? null;
  }

  async listCustomers(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Customer>> {
    return this.pageGsi2<Customer>(keys.customerListingPartition(workspaceId), page, (sk) =>
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
    const found = await this.batchGet([...new Set(customerIds)].map((id) => keys.customer(workspaceId, id)));
    return found.map((i) => String(i.customerId));
  }

  /** Deletes a customer and its links. Threads keep the id; the caller checks there are none first. */
  async deleteCustomer(workspaceId: string, customerId: string): Promise<void> {
    const links = await this.queryAll({
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
          this.unlink(workspaceId, customerId, contactId).catch((e) => {
            if (!(e instanceof NotFoundError)) throw e;
          }),
        ),
      );
    await this.deleteExisting(keys.customer(workspaceId, customerId), `customer ${customerId} not found`);
  }

  // ---------- contacts ----------

  async getContact(workspaceId: string, contactId: string): Promise<Contact | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(workspaceId, contactId), ConsistentRead: true }),
    );
    return fromItem<Contact>(out.Item) ?? null;
  }

  async listContacts(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Contact>> {
    return this.pageGsi2<Contact>(keys.contactListingPartition(workspaceId), page, (sk) =>
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
          customerIds = card ? card.customerIds : await this.customerIdsOfContact(ws, contact.contactId);
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
        } else customerIds = await this.customerIdsOfContact(ws, contact.contactId);
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
    const customerIds = await this.customerIdsOfContact(workspaceId, contactId);
    await this.batchDelete(customerIds.map((c) => linkKey(workspaceId, c, contactId)));
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
    await this.deleteExisting(keys.contact(workspaceId, contactId), `contact ${contactId} not found`);
  }

  // ---------- links ----------

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
      const contact = await this.getContact(workspaceId, contactId);
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
    const links = await this.page<{ contactId: string }>(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': partition, ':p': keys.linkPrefix() },
        ...(after ? { ExclusiveStartKey: { PK: partition, SK: after.sk } } : {}),
      },
      page.limit,
      (item) => ({ sk: String(item.SK) }),
    );
    const contacts = await this.batchGet(links.items.map((l) => keys.contact(workspaceId, l.contactId)));
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
    const links = await this.pageGsi2<{ customerId: string }>(
      keys.customersOfContactPartition(workspaceId, contactId),
      page,
      (sk) => linkKey(workspaceId, idOf(sk), contactId),
    );
    const customers = await this.batchGet(links.items.map((l) => keys.customer(workspaceId, l.customerId)));
    return {
      items: sortLike(
        links.items.map((l) => l.customerId),
        customers,
        'customerId',
      ) as unknown as Customer[],
      ...cursorOf(links),
    };
  }

  // ---------- idempotency keys of API writes ----------

  async getIdempotencyRecord(workspaceId: string, key: string): Promise<IdempotencyRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(workspaceId, key), ConsistentRead: true }),
    );
    return fromItem<IdempotencyRecord>(out.Item) ?? null;
  }

  /**
   * Claims a key for `fresh` (a conditional put: of two concurrent requests, exactly one wins), or
   * takes over a pending record whose lease ran out, keeping its reserved ids. `nowMs` is wall-clock time.
   */
  async claimIdempotencyKey(workspaceId: string, fresh: IdempotencyRecord, nowMs: number): Promise<IdempotencyClaim> {
    const Key = keys.idempotency(workspaceId, fresh.key);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, entity: 'idempotency', ...fresh },
            // DynamoDB's TTL deletes lazily: an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
          }),
        );
        return { kind: 'claimed', record: fresh };
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
      const existing = await this.getIdempotencyRecord(workspaceId, fresh.key);
      if (!existing) continue;
      if (existing.fingerprint !== fresh.fingerprint) return { kind: 'mismatch', record: existing };
      if (existing.state === 'done') return { kind: 'done', record: existing };
      if (existing.lockedUntil > nowMs) return { kind: 'busy', record: existing };
      try {
        // The previous attempt crashed or gave up: take its lease over, only if nobody else did.
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #owner = :owner, lockedUntil = :until',
            ConditionExpression: '#state = :pending AND #owner = :was AND lockedUntil = :wasUntil',
            ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
            ExpressionAttributeValues: {
              ':owner': fresh.owner,
              ':until': fresh.lockedUntil,
              ':pending': 'pending',
              ':was': existing.owner,
              ':wasUntil': existing.lockedUntil,
            },
          }),
        );
        return { kind: 'claimed', record: { ...existing, owner: fresh.owner, lockedUntil: fresh.lockedUntil } };
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
    }
    throw new Error(`idempotency key ${fresh.key} kept changing`);
  }

  /** Records the result: every later request with the key replays it. */
  async completeIdempotencyKey(workspaceId: string, key: string, result: Record<string, string>): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(workspaceId, key),
        UpdateExpression: 'SET #state = :done, #result = :result',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
        ExpressionAttributeValues: { ':done': 'done', ':result': result },
      }),
    );
  }

  /** Ends this attempt's lease without a result (it failed): the next request with the key runs again. */
  async releaseIdempotencyKey(workspaceId: string, key: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.idempotency(workspaceId, key),
          UpdateExpression: 'SET lockedUntil = :zero',
          ConditionExpression: '#state = :pending AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':zero': 0, ':pending': 'pending', ':owner': owner },
        }),
      );
    } catch (e) {
      // Another attempt took the lease over (or finished): it is theirs now.
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  }

  // ---------- helpers ----------

  /** A page of a GSI2 partition; the cursor carries only GSI2SK, the rest is rebuilt from it. */
  private pageGsi2<T>(
    partition: string,
    page: { limit: number; cursor?: string },
    tableKeyOf: (gsi2sk: string) => Key,
  ): Promise<Page<T>> {
    // Every GSI2 listing sorts `<name or email>#<ULID>`: anything else is a tampered cursor.
    const after = decodeCursor(page.cursor, ['sk'], (c) => /#[0-9A-HJKMNP-TV-Z]{26}$/i.test(c.sk));
    return this.page<T>(
      {
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ...(after ? { ExclusiveStartKey: { ...tableKeyOf(after.sk), GSI2PK: partition, GSI2SK: after.sk } } : {}),
      },
      page.limit,
      (item) => ({ sk: String(item.GSI2SK) }),
    );
  }

  /** One Query of `limit + 1` items: the extra one only says whether a next page exists. */
  private async page<T>(
    input: QueryCommandInput,
    limit: number,
    cursorOf: (item: Record<string, unknown>) => Record<string, string>,
  ): Promise<Page<T>> {
    const out = await this.db.send(new QueryCommand({ ...input, Limit: limit + 1 }));
    const raw = out.Items ?? [];
    const items = raw.slice(0, limit);
    const more = raw.length > limit;
    return {
      items: items.map((i) => fromItem<T>(i)),
      ...(more ? { cursor: encodeCursor(cursorOf(items[items.length - 1])) } : {}),
    };
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The items of `keyList` without their storage attributes, in any order. */
  private async batchGet(keyList: Key[]): Promise<Record<string, unknown>[]> {
    const found = await batchGetItems(this.db, this.tableName, keyList);
    return found.map((item) => fromItem<Record<string, unknown>>(item));
  }

  private async batchDelete(keyList: Key[]): Promise<void> {
    await batchWriteItems(
      this.db,
      this.tableName,
      keyList.map((Key) => ({ DeleteRequest: { Key } })),
    );
  }

  private async deleteExisting(key: Key, notFound: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'attribute_exists(PK)' }),
      );
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') throw new NotFoundError(notFound);
      throw e;
    }
  }
}

const linkKey = (workspaceId: string, customerId: string, contactId: string): Key => {
  const { PK, SK } = keys.link(workspaceId, customerId, contactId);
  return { PK, SK };
};

/** The card moved under an address change: the change is read and made again. */
class CardMoved extends Error {}

const cursorOf = (page: Page<unknown>) => (page.cursor ? { cursor: page.cursor } : {});

/** BatchGet returns items in any order: put them back in the order of `ids` (missing ones drop out). */
function sortLike(ids: string[], items: Record<string, unknown>[], field: string): Record<string, unknown>[] {
  const byId = new Map(items.map((i) => [String(i[field]), i]));
  return ids.map((id) => byId.get(id)).filter((i): i is Record<string, unknown> => i !== undefined);
}
