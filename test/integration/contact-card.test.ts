/**
 * The contact's card on its email item (functions/adapters/dynamo/contact-card.ts) is a copy of the
 * contact item and its links, read by ingest in the mail's first BatchGet. These tests check on DynamoDB
 * Local that every writer keeps the copy equal to the truth, alone, concurrently, and in random
 * sequences of operations.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import type { Contact, Customer } from '#core/model.ts';
import type { ContactCard } from '#core/ports.ts';
import { freshTable } from '../support/ddb.ts';

let admin: DynamoAdminStore;
let threads: DynamoThreadStore;
let table: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  table = await freshTable();
  admin = new DynamoAdminStore(table.db, table.tableName);
  threads = new DynamoThreadStore(table.db, table.tableName);
});

const at = '2026-11-30T10:00:00.000Z';

async function customer(ws: string, name = 'Acme'): Promise<string> {
  const c: Customer = { workspaceId: ws, customerId: ulid(), name, autoCreated: false, createdAt: at, updatedAt: at };
  await admin.putCustomer(c, 'create');
  return c.customerId;
}

async function contact(ws: string, email: string, extra: Partial<Contact> = {}): Promise<Contact> {
  const c: Contact = { workspaceId: ws, contactId: ulid(), email, createdAt: at, updatedAt: at, ...extra };
  await admin.putContact(c, 'create');
  return c;
}

/** What ingest reads in its first BatchGet. */
const cardAt = async (ws: string, email: string) =>
  (await threads.lookup(ws, { messageIds: [], threadIds: [], senderEmail: email })).sender;

/** The truth: the contact item and the link index, read the slow way. */
async function truth(ws: string, email: string): Promise<ContactCard | null> {
  const c = await admin.findContactByEmail(ws, email);
  if (!c) return null;
  return {
    contact: {
      contactId: c.contactId,
      ...(c.name ? { name: c.name } : {}),
      ...(c.externalId ? { externalId: c.externalId } : {}),
      ...(c.failing ? { failing: c.failing } : {}),
    },
    customerIds: (await admin.customerIdsOfContact(ws, c.contactId)).sort(),
  };
}

describe('the contact card on the email item', () => {
  it('is written by ingest’s ensureContact, with the auto-created customer', async () => {
    const ws = ulid();
    const out = await admin.ensureContact(ws, {
      email: 'Ann@Example.com',
      name: 'Ann',
      contactId: ulid(),
      customerId: ulid(),
      at,
    });
    expect(await cardAt(ws, 'ann@example.com')).toEqual({
      contact: { contactId: out.contact.contactId, name: 'Ann' },
      customerIds: out.customerIds,
    });
  });

  it('says null for nobody’s address', async () => {
    expect(await cardAt(ulid(), 'nobody@example.com')).toBeNull();
  });

  it('follows link, unlink, contact edits, failing, an address change and customer deletion', async () => {
    const ws = ulid();
    const [c1, c2] = [await customer(ws, 'One'), await customer(ws, 'Two')];
    const ann = await contact(ws, 'ann@example.com', { name: 'Ann', externalId: 'u-1' });
    const check = async (email: string) => expect(await cardAt(ws, email)).toEqual(await truth(ws, email));

    await admin.link(ws, c1, ann.contactId, at);
    await admin.link(ws, c2, ann.contactId, at);
    await admin.link(ws, c2, ann.contactId, at); // idempotent
    await check('ann@example.com');
    expect((await cardAt(ws, 'ann@example.com'))?.customerIds).toEqual([c1, c2].sort());

    await admin.unlink(ws, c1, ann.contactId);
    await check('ann@example.com');

    const renamed: Contact = { ...ann, name: 'Ann B.', updatedAt: at };
    delete renamed.externalId;
    await admin.putContact(renamed, 'replace', ann.email);
    await check('ann@example.com');
    expect((await cardAt(ws, 'ann@example.com'))?.contact).toEqual({ contactId: ann.contactId, name: 'Ann B.' });

    await admin.markContactFailing(ws, 'ann@example.com', 'bounce 5.1.1', at);
    await check('ann@example.com');
    expect((await cardAt(ws, 'ann@example.com'))?.contact.failing).toEqual({ since: at, reason: 'bounce 5.1.1' });
    await admin.clearContactFailing(ws, 'ann@example.com', at);
    await check('ann@example.com');

    await admin.putContact({ ...renamed, email: 'ann@new.example' }, 'replace', 'ann@example.com');
    expect(await cardAt(ws, 'ann@example.com')).toBeNull();
    await check('ann@new.example');
    expect((await cardAt(ws, 'ann@new.example'))?.customerIds).toEqual([c2]);

    await admin.deleteCustomer(ws, c2);
    await check('ann@new.example');
    expect((await cardAt(ws, 'ann@new.example'))?.customerIds).toEqual([]);

    await admin.deleteContact(ws, ann.contactId);
    expect(await cardAt(ws, 'ann@new.example')).toBeNull();
  });

  it('keeps every customer when many links of one contact run at once', async () => {
    const ws = ulid();
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => customer(ws, `C${i}`)));
    const bob = await contact(ws, 'bob@example.com');
    await Promise.all(ids.map((id) => admin.link(ws, id, bob.contactId, at)));
    expect((await cardAt(ws, bob.email))?.customerIds).toEqual([...ids].sort());
    await Promise.all(ids.slice(0, 5).map((id) => admin.unlink(ws, id, bob.contactId)));
    expect(await cardAt(ws, bob.email)).toEqual(await truth(ws, bob.email));
    expect((await cardAt(ws, bob.email))?.customerIds).toEqual(ids.slice(5).sort());
  });

  it('loses no link made while the address changes', async () => {
    const ws = ulid();
    for (let round = 0; round < 5; round++) {
      const cid = await customer(ws);
      const cy = await contact(ws, `cy${round}@example.com`);
      const moved = `cy${round}@moved.example`;
      await Promise.all([
        admin.putContact({ ...cy, email: moved }, 'replace', cy.email),
        admin.link(ws, cid, cy.contactId, at),
      ]);
      expect(await cardAt(ws, moved)).toEqual(await truth(ws, moved));
      expect((await cardAt(ws, moved))?.customerIds).toEqual([cid]);
      expect(await cardAt(ws, cy.email)).toBeNull();
    }
  });

  it('is left unread (undefined) on an email item from before the card, so ingest reads the contact', async () => {
    const ws = ulid();
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.contactEmail(ws, 'old@example.com'), entity: 'contactEmail', contactId: ulid() },
      }),
    );
    const look = await threads.lookup(ws, { messageIds: [], threadIds: [], senderEmail: 'old@example.com' });
    expect('sender' in look).toBe(false);
  });

  it('equals the truth after any sequence of directory operations', async () => {
    type Op =
      | { kind: 'link' | 'unlink'; customer: number }
      | { kind: 'rename'; name: string | null }
      | { kind: 'move' }
      | { kind: 'fail' | 'clear' }
      | { kind: 'deleteCustomer'; customer: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constantFrom('link' as const, 'unlink' as const), customer: fc.nat(3) }),
      fc.record({ kind: fc.constant('rename' as const), name: fc.option(fc.string({ minLength: 1, maxLength: 8 })) }),
      fc.record({ kind: fc.constant('move' as const) }),
      fc.record({ kind: fc.constantFrom('fail' as const, 'clear' as const) }),
      fc.record({ kind: fc.constant('deleteCustomer' as const), customer: fc.nat(3) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const ws = ulid();
        const customers = await Promise.all([0, 1, 2, 3].map((i) => customer(ws, `C${i}`)));
        const alive = new Set(customers);
        let current = await contact(ws, 'p0@example.com', { name: 'P' });
        let moves = 0;
        for (const o of ops) {
          if (o.kind === 'link' && alive.has(customers[o.customer]))
            await admin.link(ws, customers[o.customer], current.contactId, at);
          if (o.kind === 'unlink')
            await admin.unlink(ws, customers[o.customer], current.contactId).catch(() => undefined);
          if (o.kind === 'rename') {
            const { name: _old, ...rest } = current;
            const next: Contact = { ...rest, ...(o.name ? { name: o.name } : {}) };
            await admin.putContact(next, 'replace', current.email);
            current = next;
          }
          if (o.kind === 'move') {
            const next = { ...current, email: `p${++moves}@example.com` };
            await admin.putContact(next, 'replace', current.email);
            current = next;
          }
          if (o.kind === 'fail') await admin.markContactFailing(ws, current.email, 'bounce', at);
          if (o.kind === 'clear') await admin.clearContactFailing(ws, current.email, at);
          if (o.kind === 'deleteCustomer' && alive.delete(customers[o.customer]))
            await admin.deleteCustomer(ws, customers[o.customer]);
        }
        expect(await cardAt(ws, current.email)).toEqual(await truth(ws, current.email));
      }),
      { numRuns: 25 },
    );
  });
});
