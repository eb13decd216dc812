/**
 * The contact's card on its email item (`keys.contactEmail`): a copy of what ingest needs of the sender
 * (contact id, name, external id, `failing`, and the ids of its customers), so that the email item alone
 * answers "who wrote this?" and joins the first BatchGet of a mail (docs/ingest.md, "DynamoDB requests").
 *
 * The contact item and the link items stay the truth; every writer of either keeps the copy in step in
 * the same transaction:
 * - contact create and replace (name, external id, address change: the copy moves to the new item);
 * - link and unlink (a string set changed with ADD and DELETE, so concurrent links commute), customer
 *   deletion (through unlink), and `failing` set by a bounce or cleared by real mail.
 * `cardRev` counts the changes of the customer set, so that an address change can check that no link
 * moved while it copied the set. An email item without `card` predates the copy: readers fall back to
 * the contact item and the link index.
 */
import type { Contact } from '#core/model.ts';
import type { ContactCard } from '#core/ports.ts';

/** The attributes of the card on the email item, beyond `contactId` (which the item always had). */
const CARD_FIELDS = ['name', 'externalId', 'failing'] as const;

/** The card's attributes for a fresh email item: `card` marks a complete copy. */
export function cardAttributes(
  contact: Pick<Contact, 'contactId' | 'name' | 'externalId' | 'failing'>,
  customerIds: string[],
  cardRev = 0,
): Record<string, unknown> {
  return {
    contactId: contact.contactId,
    card: 1,
    cardRev,
    ...(contact.name ? { name: contact.name } : {}),
    ...(contact.externalId ? { externalId: contact.externalId } : {}),
    ...(contact.failing ? { failing: contact.failing } : {}),
    // A string set: link and unlink change it with ADD and DELETE. DynamoDB stores no empty set.
    ...(customerIds.length > 0 ? { customerIds: new Set(customerIds) } : {}),
  };
}

/** The card an email item holds; `undefined` when the item predates the copy (read the contact instead). */
export function contactCardOf(item: Record<string, unknown>): ContactCard | undefined {
  if (item.card !== 1 || typeof item.contactId !== 'string') return undefined;
  const ids = item.customerIds;
  return {
    contact: {
      contactId: item.contactId,
      ...(typeof item.name === 'string' ? { name: item.name } : {}),
      ...(typeof item.externalId === 'string' ? { externalId: item.externalId } : {}),
      ...(item.failing ? { failing: item.failing as NonNullable<Contact['failing']> } : {}),
    },
    customerIds: ids instanceof Set ? [...(ids as Set<string>)].sort() : [],
  };
}

/**
 * An update of the card's contact fields (name, external id, failing) to those of `contact`: absent
 * fields are removed. For an UpdateItem on the email item, conditioned on it still naming the contact.
 */
export function cardFieldsUpdate(contact: Pick<Contact, 'contactId' | 'name' | 'externalId' | 'failing'>) {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':id': contact.contactId };
  for (const field of CARD_FIELDS) {
    names[`#${field}`] = field;
    const value = contact[field];
    if (value) {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    } else remove.push(`#${field}`);
  }
  return {
    UpdateExpression: [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : '']
      .filter(Boolean)
      .join(' '),
    ConditionExpression: 'contactId = :id',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** An update that adds (`link`) or removes (`unlink`) one customer of the card, and counts the change. */
export function cardCustomerUpdate(op: 'link' | 'unlink', customerId: string, contactId: string) {
  return {
    UpdateExpression: op === 'link' ? 'ADD customerIds :c, cardRev :one' : 'DELETE customerIds :c ADD cardRev :one',
    ConditionExpression: 'contactId = :id',
    ExpressionAttributeValues: { ':c': new Set([customerId]), ':one': 1, ':id': contactId },
  };
}
