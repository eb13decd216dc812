/** Routes of customers, contacts and the links between them. */
import type { ApiDeps } from '../deps.ts';
import { listBody, noContent, ok, parse, type Route } from '../http.ts';
import {
  contactBody,
  contactPatch,
  customerBody,
  customerPatch,
  listContactsQuery,
  pageOnlyQuery,
} from '../schemas.ts';
import * as directory from '../use-cases/directory.ts';
import { contactView, customerView } from '../views.ts';
import { collectionRoutes } from './collection.ts';

export const directoryRoutes: Route<ApiDeps>[] = [
  ...collectionRoutes({
    path: '/v1/customers',
    idParam: 'customerId',
    scopes: { read: 'customers:read', write: 'customers:write' },
    operationIds: {
      list: 'listCustomers',
      create: 'createCustomer',
      get: 'getCustomer',
      update: 'updateCustomer',
      delete: 'deleteCustomer',
    },
    view: customerView,
    list: { query: pageOnlyQuery, run: (deps, ctx, page) => deps.admin.listCustomers(ctx.workspaceId, page) },
    create: { body: customerBody, run: directory.createCustomer },
    get: directory.requireCustomer,
    update: { method: 'PATCH', body: customerPatch, run: directory.updateCustomer },
    delete: directory.deleteCustomer,
  }),
  {
    method: 'GET',
    path: '/v1/customers/{customerId}/contacts',
    operationId: 'listContactsOfCustomer',
    scope: 'customers:read',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      await directory.requireCustomer(deps, ctx, req.params.customerId);
      const page = await deps.admin.contactsOfCustomer(ctx.workspaceId, req.params.customerId, query);
      return ok(listBody(page, contactView));
    },
  },
  {
    method: 'PUT',
    path: '/v1/customers/{customerId}/contacts/{contactId}',
    operationId: 'linkContact',
    scope: 'customers:write',
    async run(req, ctx, deps) {
      const at = deps.clock.now().toISOString();
      await deps.admin.link(ctx.workspaceId, req.params.customerId, req.params.contactId, at);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customerId}/contacts/{contactId}',
    operationId: 'unlinkContact',
    scope: 'customers:write',
    async run(req, ctx, deps) {
      await deps.admin.unlink(ctx.workspaceId, req.params.customerId, req.params.contactId);
      return noContent();
    },
  },
  ...collectionRoutes({
    path: '/v1/contacts',
    idParam: 'contactId',
    scopes: { read: 'customers:read', write: 'customers:write' },
    operationIds: {
      list: 'listContacts',
      create: 'createContact',
      get: 'getContact',
      update: 'updateContact',
      delete: 'deleteContact',
    },
    view: contactView,
    list: {
      query: listContactsQuery,
      async run(deps, ctx, { email, ...page }) {
        if (!email) return deps.admin.listContacts(ctx.workspaceId, page);
        const contact = await deps.admin.findContactByEmail(ctx.workspaceId, email);
        return { items: contact ? [contact] : [] };
      },
    },
    create: { body: contactBody, run: directory.createContact },
    get: directory.requireContact,
    update: { method: 'PATCH', body: contactPatch, run: directory.updateContact },
    delete: (deps, ctx, id) => deps.admin.deleteContact(ctx.workspaceId, id),
  }),
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}/customers',
    operationId: 'listCustomersOfContact',
    scope: 'customers:read',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      await directory.requireContact(deps, ctx, req.params.contactId);
      const page = await deps.admin.customersOfContact(ctx.workspaceId, req.params.contactId, query);
      return ok(listBody(page, customerView));
    },
  },
];
