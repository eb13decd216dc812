/**
 * Workspace administration through the API (templates, settings, API keys) and the ops-only
 * provisioning of workspaces that the CLI calls. Authentication lives in ../auth/authenticate.ts.
 */

import type { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import type { Scope } from '#core/access.ts';
import { generateApiKey } from '#core/api-keys.ts';
import { businessTimeSettings } from '#core/business-time/policy.ts';
import { AlreadyExistsError, NotFoundError, ValidationError } from '#core/errors.ts';
import { parseStatusPolicy } from '#core/lifecycle.ts';
import type { Actor, StatusPolicy, Template, Workspace, WorkspaceSettings } from '#core/model.ts';
import type { Clock, IdGenerator } from '#core/ports.ts';
import { renderTemplate, validateTemplate } from '#core/templates.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { requireThread, templateVars } from './threads.ts';

// ---------- API keys ----------

export async function createApiKey(
  deps: { admin: DynamoAdminStore; clock: Clock; ids: IdGenerator },
  workspaceId: string,
  name: string,
  createdBy?: Actor,
  scopes?: readonly Scope[],
) {
  const key = generateApiKey(deps.ids.newId());
  const record = {
    keyId: key.keyId,
    name,
    displayPrefix: key.displayPrefix,
    createdAt: deps.clock.now().toISOString(),
    ...(createdBy ? { createdBy } : {}),
    ...(scopes ? { scopes: [...scopes] } : {}),
  };
  await deps.admin.createApiKey(workspaceId, record, key.hash);
  return { ...record, apiKey: key.apiKey };
}

// ---------- workspaces (ops only) ----------

/** An inbound address: a plain address, lower-cased; no `+` (plus-addressing carries reply tokens). */
export function checkInboundAddress(address: string): string {
  const email = address.trim().toLowerCase();
  if (!/^[^\s@+]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new ValidationError(`not an inbound address: ${address} (no +, it is used for reply tokens)`);
  return email;
}

/**
 * Refuses an address that a workspace already owns, naming the owner. The conditional write of the
 * address stays the guard against a race; this only turns the common case into a clear message.
 */
export async function ensureAddressFree(admin: DynamoAdminStore, address: string): Promise<void> {
  const owner = await admin.routeAddress(address);
  if (owner) throw new AlreadyExistsError(`inbound address ${address} already belongs to workspace ${owner}`);
}

/** Creates a workspace with its inbound addresses and a first API key (shown once). */
export async function provisionWorkspace(
  deps: { admin: DynamoAdminStore; clock: Clock; ids: IdGenerator },
  input: { name: string; inbound: string[] },
): Promise<{ workspace: Workspace; apiKey: string; keyId: string }> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new ValidationError('a workspace name is 1-200 characters');
  // One transaction cannot write an item twice: the same address given twice is one address.
  const inbound = [...new Set(input.inbound.map(checkInboundAddress))];
  for (const address of inbound) await ensureAddressFree(deps.admin, address);
  const workspace: Workspace = { workspaceId: deps.ids.newId(), name, createdAt: deps.clock.now().toISOString() };
  await deps.admin.createWorkspace(workspace, inbound);
  const key = await createApiKey(deps, workspace.workspaceId, 'initial key (gochat workspace create)');
  return { workspace, apiKey: key.apiKey, keyId: key.keyId };
}

// ---------- templates ----------

export async function requireTemplate(deps: ApiDeps, ctx: CallerContext, templateId: string): Promise<Template> {
  const template = await deps.admin.getTemplate(ctx.workspaceId, templateId);
  if (!template) throw new NotFoundError(`template ${templateId} not found`);
  return template;
}

export async function saveTemplate(
  deps: ApiDeps,
  ctx: CallerContext,
  input: { name: string; subject?: string; body: string },
  templateId?: string,
): Promise<Template> {
  validateTemplate(input.body);
  if (input.subject !== undefined) validateTemplate(input.subject);
  const at = deps.clock.now().toISOString();
  const existing = templateId ? await requireTemplate(deps, ctx, templateId) : null;
  const template: Template = {
    workspaceId: ctx.workspaceId,
    templateId: existing?.templateId ?? deps.ids.newId(),
    name: input.name,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    body: input.body,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  await deps.admin.putTemplate(template, existing ? 'replace' : 'create');
  return template;
}

export async function previewTemplate(
  deps: ApiDeps,
  ctx: CallerContext,
  templateId: string,
  input: { variables?: Record<string, string | number>; threadId?: string; to?: string },
) {
  const template = await requireTemplate(deps, ctx, templateId);
  const thread = input.threadId ? await requireThread(deps, ctx, input.threadId) : null;
  const vars = await templateVars(deps, ctx, thread, input.to ?? thread?.latestContact?.email, input.variables);
  return {
    ...(template.subject !== undefined ? { subject: renderTemplate(template.subject, vars) } : {}),
    text: renderTemplate(template.body, vars),
    variables: vars,
  };
}

// ---------- settings ----------

export async function getSettings(deps: ApiDeps, ctx: CallerContext) {
  const [settings, addresses] = await Promise.all([
    deps.admin.getSettings(ctx.workspaceId),
    deps.admin.listInboundAddresses(ctx.workspaceId),
  ]);
  return settingsView(
    settings,
    addresses.map((a) => a.address),
  );
}

export async function putSettings(
  deps: ApiDeps,
  ctx: CallerContext,
  input: {
    policy?: unknown;
    sendCapPerAddress?: number;
    sendCapWindowSeconds?: number;
    businessHours?: unknown;
    sla?: unknown;
    assignOnArrival?: boolean;
  },
) {
  const current = await deps.admin.getSettings(ctx.workspaceId);
  const policy: StatusPolicy = input.policy === undefined ? current.policy : parseStatusPolicy(input.policy);
  if (policy.reminderTemplateId && !(await deps.admin.getTemplate(ctx.workspaceId, policy.reminderTemplateId)))
    throw new ValidationError(`reminder template ${policy.reminderTemplateId} not found`, {
      path: 'body.policy.reminderTemplateId',
    });
  const next: WorkspaceSettings = {
    policy,
    sendCapPerAddress: input.sendCapPerAddress ?? current.sendCapPerAddress,
    sendCapWindowSeconds: input.sendCapWindowSeconds ?? current.sendCapWindowSeconds,
    ...businessTimeSettings(current, input),
    ...((input.assignOnArrival ?? current.assignOnArrival) ? { assignOnArrival: true } : {}),
  };
  await deps.admin.putSettings(ctx.workspaceId, next, ctx.actor, deps.clock.now().toISOString());
  return getSettings(deps, ctx);
}

function settingsView(s: WorkspaceSettings & { updatedAt?: string }, inboundAddresses: string[]) {
  const { reminderTemplateId, ...policy } = s.policy;
  return {
    policy: { ...policy, ...(reminderTemplateId ? { reminderTemplateId } : {}) },
    sendCapPerAddress: s.sendCapPerAddress,
    sendCapWindowSeconds: s.sendCapWindowSeconds,
    ...(s.businessHours ? { businessHours: s.businessHours } : {}),
    ...(s.sla ? { sla: s.sla } : {}),
    assignOnArrival: s.assignOnArrival === true,
    inboundAddresses,
    ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
  };
}
