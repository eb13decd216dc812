import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import type { ChatApiDeps } from '#api/deps.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import { WidgetTokens } from '#core/widget-identity.ts';
import type { TestApi } from './api.ts';

/** A WorkflowStarter that records what it was asked to start. */
export class RecordingStarter implements WorkflowStarter {
  readonly started: Array<{ name: string; input: any }> = [];
  async start(name: string, input: unknown) {
    this.started.push({ name, input });
  }
  async stop() {}
}

/** Enables chat and the widget on a test API (its deps object is the handler's). */
export function enableChat(api: TestApi, rateLimits?: ChatApiDeps['rateLimits']) {
  const store = new DynamoChatStore(api.db, api.tableName);
  const starter = new RecordingStarter();
  const tokens = new WidgetTokens('test-widget-token-secret-0123456789');
  api.deps.chat = { store, starter, widgetTokens: async () => tokens, ...(rateLimits ? { rateLimits } : {}) };
  return { store, starter, tokens };
}

/** The host back end of a test: a key pair, and end-user tokens signed with it. */
export async function hostKeys(alg: 'ES256' | 'EdDSA' = 'ES256', nowMs: () => number = Date.now) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: ulid(), alg, use: 'sig' };
  const sign = async (
    workspaceId: string,
    claims: { sub: string; email: string; name?: string; customerIds: string[] },
    opts: { iat?: number; exp?: number; aud?: string } = {},
  ) => {
    const now = Math.floor(nowMs() / 1000);
    return new SignJWT({
      email: claims.email,
      customerIds: claims.customerIds,
      ...(claims.name ? { name: claims.name } : {}),
    })
      .setProtectedHeader({ alg, kid: jwk.kid })
      .setSubject(claims.sub)
      .setAudience(opts.aud ?? workspaceId)
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 300)
      .sign(privateKey);
  };
  return { jwk, privateKey, sign };
}

/** A customer with one contact, made through the API. */
export async function customerWithContact(api: TestApi, key: string, name: string, externalId?: string) {
  const customer = await api.call(key, 'POST', '/v1/customers', { body: { name } });
  expect(customer.status).toBe(201);
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${ulid().toLowerCase()}@customer.example`;
  const contact = await api.call(key, 'POST', '/v1/contacts', {
    body: { email, name, ...(externalId ? { externalId } : {}) },
  });
  expect(contact.status).toBe(201);
  const link = await api.call(
    key,
    'PUT',
    `/v1/customers/${customer.body.customerId}/contacts/${contact.body.contactId}`,
  );
  expect(link.status).toBeLessThan(300);
  return { customerId: customer.body.customerId as string, contactId: contact.body.contactId as string, email };
}
