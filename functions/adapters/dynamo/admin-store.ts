/**
 * The directory as the integrator API and the ops CLI manage it, as one object: the DirectoryStore that
 * ingest uses (so both read and write the very same items), and the stores of each aggregate, one file
 * each: workspaces, API keys, templates, customers, contacts, their links, idempotency keys. Each method
 * here only hands over to its store; a new method goes in its aggregate's store, with a line here.
 * Every key comes from keys.ts; every workspace-owned key is built from the caller's workspace id, so an
 * id of another workspace simply is not found.
 */
import { DynamoApiKeyStore } from './api-key-store.ts';
import { DynamoContactLinkStore } from './contact-link-store.ts';
import { DynamoContactStore } from './contact-store.ts';
import { DynamoCustomerStore } from './customer-store.ts';
import { DynamoDirectoryStore } from './directory-store.ts';
import { DynamoIdempotencyStore } from './idempotency-store.ts';
import { DynamoTemplateStore } from './template-store.ts';
import { DynamoWorkspaceStore } from './workspace-store.ts';

export type { ApiKeyRecord } from './api-key-store.ts';
export type { IdempotencyClaim, IdempotencyRecord } from './idempotency-store.ts';
export type { StoredSettings } from './workspace-store.ts';

export class DynamoAdminStore extends DynamoDirectoryStore {
  readonly workspaces = new DynamoWorkspaceStore(this.db, this.tableName);
  readonly apiKeys = new DynamoApiKeyStore(this.db, this.tableName);
  readonly templates = new DynamoTemplateStore(this.db, this.tableName);
  readonly contacts = new DynamoContactStore(this.db, this.tableName, this);
  readonly links = new DynamoContactLinkStore(this.db, this.tableName, this.contacts);
  readonly customers = new DynamoCustomerStore(this.db, this.tableName, this.links);
  readonly idempotency = new DynamoIdempotencyStore(this.db, this.tableName);

  // ---------- workspaces and their addresses (ops only), settings (workspace-store.ts) ----------

  getWorkspace(...a: Parameters<DynamoWorkspaceStore['getWorkspace']>) {
    return this.workspaces.getWorkspace(...a);
  }
  listWorkspaces(...a: Parameters<DynamoWorkspaceStore['listWorkspaces']>) {
    return this.workspaces.listWorkspaces(...a);
  }
  listInboundAddresses(...a: Parameters<DynamoWorkspaceStore['listInboundAddresses']>) {
    return this.workspaces.listInboundAddresses(...a);
  }
  putSettings(...a: Parameters<DynamoWorkspaceStore['putSettings']>) {
    return this.workspaces.putSettings(...a);
  }

  // ---------- API keys (api-key-store.ts) ----------

  createApiKey(...a: Parameters<DynamoApiKeyStore['createApiKey']>) {
    return this.apiKeys.createApiKey(...a);
  }
  findApiKeyByHash(...a: Parameters<DynamoApiKeyStore['findApiKeyByHash']>) {
    return this.apiKeys.findApiKeyByHash(...a);
  }
  listApiKeys(...a: Parameters<DynamoApiKeyStore['listApiKeys']>) {
    return this.apiKeys.listApiKeys(...a);
  }
  revokeApiKey(...a: Parameters<DynamoApiKeyStore['revokeApiKey']>) {
    return this.apiKeys.revokeApiKey(...a);
  }

  // ---------- templates (template-store.ts) ----------

  getTemplate(...a: Parameters<DynamoTemplateStore['getTemplate']>) {
    return this.templates.getTemplate(...a);
  }
  listTemplates(...a: Parameters<DynamoTemplateStore['listTemplates']>) {
    return this.templates.listTemplates(...a);
  }
  putTemplate(...a: Parameters<DynamoTemplateStore['putTemplate']>) {
    return this.templates.putTemplate(...a);
  }
  deleteTemplate(...a: Parameters<DynamoTemplateStore['deleteTemplate']>) {
    return this.templates.deleteTemplate(...a);
  }

  // ---------- customers (customer-store.ts) ----------

  getCustomer(...a: Parameters<DynamoCustomerStore['getCustomer']>) {
    return this.customers.getCustomer(...a);
  }
  listCustomers(...a: Parameters<DynamoCustomerStore['listCustomers']>) {
    return this.customers.listCustomers(...a);
  }
  putCustomer(...a: Parameters<DynamoCustomerStore['putCustomer']>) {
    return this.customers.putCustomer(...a);
  }
  existingCustomerIds(...a: Parameters<DynamoCustomerStore['existingCustomerIds']>) {
    return this.customers.existingCustomerIds(...a);
  }
  deleteCustomer(...a: Parameters<DynamoCustomerStore['deleteCustomer']>) {
    return this.customers.deleteCustomer(...a);
  }

  // ---------- contacts (contact-store.ts) ----------

  getContact(...a: Parameters<DynamoContactStore['getContact']>) {
    return this.contacts.getContact(...a);
  }
  listContacts(...a: Parameters<DynamoContactStore['listContacts']>) {
    return this.contacts.listContacts(...a);
  }
  putContact(...a: Parameters<DynamoContactStore['putContact']>) {
    return this.contacts.putContact(...a);
  }
  deleteContact(...a: Parameters<DynamoContactStore['deleteContact']>) {
    return this.contacts.deleteContact(...a);
  }

  // ---------- links between contacts and customers (contact-link-store.ts) ----------

  link(...a: Parameters<DynamoContactLinkStore['link']>) {
    return this.links.link(...a);
  }
  unlink(...a: Parameters<DynamoContactLinkStore['unlink']>) {
    return this.links.unlink(...a);
  }
  contactsOfCustomer(...a: Parameters<DynamoContactLinkStore['contactsOfCustomer']>) {
    return this.links.contactsOfCustomer(...a);
  }
  customersOfContact(...a: Parameters<DynamoContactLinkStore['customersOfContact']>) {
    return this.links.customersOfContact(...a);
  }

  // ---------- idempotency keys of API writes (idempotency-store.ts) ----------

  getIdempotencyRecord(...a: Parameters<DynamoIdempotencyStore['getIdempotencyRecord']>) {
    return this.idempotency.getIdempotencyRecord(...a);
  }
  claimIdempotencyKey(...a: Parameters<DynamoIdempotencyStore['claimIdempotencyKey']>) {
    return this.idempotency.claimIdempotencyKey(...a);
  }
  completeIdempotencyKey(...a: Parameters<DynamoIdempotencyStore['completeIdempotencyKey']>) {
    return this.idempotency.completeIdempotencyKey(...a);
  }
  releaseIdempotencyKey(...a: Parameters<DynamoIdempotencyStore['releaseIdempotencyKey']>) {
    return this.idempotency.releaseIdempotencyKey(...a);
  }
}
