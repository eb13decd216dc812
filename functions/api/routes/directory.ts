/** Routes of customers, contacts and the links between them. */
import type { ApiDeps } from '../deps.ts';
import { listBody, noContent, ok, parse, type Route } from '../http.ts';
import {
  contactBody,
  contactPatch,
  customerBody,
  customerPatch,
  listContactsQuery,
  noQuery,
  pageOnlyQuery,
} from '../schemas.ts';
import * as directory from '../use-cases/directory.ts';
import { contactView, customerView } from '../views.ts';

export const directoryRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/customers',
    operationId: 'listCustomers',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      return ok(listBody(await deps.admin.listCustomers(ctx.workspaceId, query), customerView));
    },
  },
  {
    method: 'POST',
    path: '/v1/customers',
    operationId: 'createCustomer',
    async run(req, ctx, deps) {
      const body = parse(customerBody, req.body, 'body');
      return ok(customerView(await directory.createCustomer(deps, ctx, body)), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/{customerId}',
    operationId: 'getCustomer',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(customerView(await directory.requireCustomer(deps, ctx, req.params.customerId)));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/customers/{customerId}',
    operationId: 'updateCustomer',
    async run(req, ctx, deps) {
      const body = parse(customerPatch, req.body, 'body');
      return ok(customerView(await directory.updateCustomer(deps, ctx, req.params.customerId, body)));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customerId}',
    operationId: 'deleteCustomer',
    async run(req, ctx, deps) {
      await directory.deleteCustomer(deps, ctx, req.params.customerId);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/{customerId}/contacts',
    operationId: 'listContactsOfCustomer',
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
    async run(req, ctx, deps) {
      await deps.admin.unlink(ctx.workspaceId, req.params.customerId, req.params.contactId);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts',
    operationId: 'listContacts',
    async run(req, ctx, deps) {
      const { email, ...page } = parse(listContactsQuery, req.query, 'query');
      if (email) {
        const contact = await deps.admin.findContactByEmail(ctx.workspaceId, email);
        return ok({ items: contact ? [contactView(contact)] : [] });
      }
      return ok(listBody(await deps.admin.listContacts(ctx.workspaceId, page), contactView));
    },
  },
  {
    method: 'POST',
    path: '/v1/contacts',
    operationId: 'createContact',
    async run(req, ctx, deps) {
      const body = parse(contactBody, req.body, 'body');
      return ok(contactView(await directory.createContact(deps, ctx, body)), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}',
    operationId: 'getContact',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(contactView(await directory.requireContact(deps, ctx, req.params.contactId)));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/contacts/{contactId}',
    operationId: 'updateContact',
    async run(req, ctx, deps) {
      const body = parse(contactPatch, req.body, 'body');
      return ok(contactView(await directory.updateContact(deps, ctx, req.params.contactId, body)));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/contacts/{contactId}',
    operationId: 'deleteContact',
    async run(req, ctx, deps) {
      await deps.admin.deleteContact(ctx.workspaceId, req.params.contactId);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}/customers',
    operationId: 'listCustomersOfContact',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      await directory.requireContact(deps, ctx, req.params.contactId);
      const page = await deps.admin.customersOfContact(ctx.workspaceId, req.params.contactId, query);
      return ok(listBody(page, customerView));
    },
  },
];
