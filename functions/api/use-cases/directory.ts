/**
 * Customers, contacts and their links, as integrators manage them. One contact per address per
 * workspace (409 otherwise); a customer that threads still name cannot be deleted (409: relink first).
 */
import { ConflictError, NotFoundError } from '#core/errors.ts';
import type { Contact, Customer } from '#core/model.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';

/** A patched optional field: `undefined` keeps the old value, `null` removes it. */
const patched = (given: string | null | undefined, old: string | undefined) =>
  given === undefined ? old : given === null ? undefined : given;

/** The timestamps of a record created now. */
function createdNow(deps: ApiDeps) {
  const at = deps.clock.now().toISOString();
  return { createdAt: at, updatedAt: at };
}

export async function requireCustomer(deps: ApiDeps, ctx: CallerContext, customerId: string): Promise<Customer> {
  const customer = await deps.admin.getCustomer(ctx.workspaceId, customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId} not found`);
  return customer;
}

export async function requireContact(deps: ApiDeps, ctx: CallerContext, contactId: string): Promise<Contact> {
  const contact = await deps.admin.getContact(ctx.workspaceId, contactId);
  if (!contact) throw new NotFoundError(`contact ${contactId} not found`);
  return contact;
}

export async function createCustomer(deps: ApiDeps, ctx: CallerContext, input: { name: string; externalId?: string }) {
  const customer: Customer = {
    workspaceId: ctx.workspaceId,
    customerId: deps.ids.newId(),
    name: input.name,
    ...(input.externalId ? { externalId: input.externalId } : {}),
    autoCreated: false,
    ...createdNow(deps),
  };
  await deps.admin.putCustomer(customer, 'create');
  return customer;
}

export async function updateCustomer(
  deps: ApiDeps,
  ctx: CallerContext,
  customerId: string,
  patch: { name?: string; externalId?: string | null },
) {
  const current = await requireCustomer(deps, ctx, customerId);
  const { externalId, ...rest } = current;
  const nextExternalId = patched(patch.externalId, externalId);
  const next: Customer = {
    ...rest,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(nextExternalId !== undefined ? { externalId: nextExternalId } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.admin.putCustomer(next, 'replace');
  return next;
}

export async function deleteCustomer(deps: ApiDeps, ctx: CallerContext, customerId: string) {
  await requireCustomer(deps, ctx, customerId);
  if (await deps.queries.customerHasThreads(ctx.workspaceId, customerId))
    throw new ConflictError(`customer ${customerId} still has threads: move them to another customer first`);
  await deps.admin.deleteCustomer(ctx.workspaceId, customerId);
}

export async function createContact(
  deps: ApiDeps,
  ctx: CallerContext,
  input: { email: string; name?: string; externalId?: string },
) {
  const contact: Contact = {
    workspaceId: ctx.workspaceId,
    contactId: deps.ids.newId(),
    email: input.email.trim().toLowerCase(),
    ...(input.name ? { name: input.name } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    ...createdNow(deps),
  };
  await deps.admin.putContact(contact, 'create');
  return contact;
}

export async function updateContact(
  deps: ApiDeps,
  ctx: CallerContext,
  contactId: string,
  patch: { email?: string; name?: string | null; externalId?: string | null },
) {
  const current = await requireContact(deps, ctx, contactId);
  const { name, externalId, failing, ...rest } = current;
  const email = patch.email?.trim().toLowerCase();
  // A new address has no bounce history: `failing` belonged to the old one.
  const keepFailing = failing && (email === undefined || email === current.email);
  const nextName = patched(patch.name, name);
  const nextExternalId = patched(patch.externalId, externalId);
  const next: Contact = {
    ...rest,
    ...(email !== undefined ? { email } : {}),
    ...(keepFailing ? { failing } : {}),
    ...(nextName !== undefined ? { name: nextName } : {}),
    ...(nextExternalId !== undefined ? { externalId: nextExternalId } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.admin.putContact(next, 'replace', current.email);
  return next;
}
