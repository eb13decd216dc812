/**
 * Stream records → the thread item changes that live updates fan out. Generic over item types: an
 * item belongs to a thread when its partition is the thread's (`WS#<ws>#TH#<t>`, keys.ts), or when it
 * names its `workspaceId` and `threadId` (kinds kept elsewhere, such as presence). Its `entity` says
 * what it is; which entities matter is the core's rule (functions/core/live.ts).
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ThreadItemChange } from '#core/live.ts';
import { threadOfPartition } from './dynamo/keys.ts';

type Image = Record<string, AttributeValue> | undefined;

/** Ids are short; a longer value is not an id and is left out of the event. */
const ID = /^[\w.@:+-]{1,128}$/;
/** The attributes that carry an item's own id, in order of preference. */
const ID_ATTRIBUTES = ['itemId', 'attachmentId', 'draftId', 'agentId', 'id'] as const;

const str = (img: Image, name: string) => {
  const v = img?.[name]?.S;
  return typeof v === 'string' ? v : undefined;
};

export function threadItemChangeOf(record: DynamoDBRecord): ThreadItemChange | null {
  const removed = record.eventName === 'REMOVE';
  const image = (removed ? record.dynamodb?.OldImage : record.dynamodb?.NewImage) as Image;
  const pk = str(image, 'PK') ?? (record.dynamodb?.Keys?.PK?.S as string | undefined);
  const entity = str(image, 'entity');
  if (!image || !pk || !entity || entity.length > 64) return null;
  const owner = threadOfPartition(pk) ?? ownerByAttributes(image, pk);
  if (!owner) return null;
  const id = ID_ATTRIBUTES.map((a) => str(image, a)).find((v) => v !== undefined && ID.test(v));
  const rev = entity === 'thread' && image.rev?.N !== undefined ? Number(image.rev.N) : undefined;
  const updatedAt = entity === 'thread' ? str(image, 'updatedAt') : undefined;
  return {
    ...owner,
    entity,
    ...(id && entity !== 'thread' ? { id } : {}),
    ...(rev !== undefined && Number.isSafeInteger(rev) ? { rev } : {}),
    ...(updatedAt && updatedAt.length <= 40 ? { updatedAt } : {}),
    ...(removed ? { removed: true } : {}),
    ...(entity === 'feed' && shownToEndUsers(image) ? { public: true } : {}),
  };
}

/**
 * A feed item that the widget shows its end users (as the widget's messages route does): a message, not
 * from an unverified sender, not quarantined or spam, not the email copy of a chat message.
 */
function shownToEndUsers(image: Image): boolean {
  if (str(image, 'type') !== 'message' || str(image, 'fallbackOf') !== undefined) return false;
  const flags = image?.flags?.M;
  return !flags || !['unverifiedSender', 'quarantined', 'spam'].some((f) => flags[f]?.BOOL === true);
}

/** An item outside the thread partition names its thread, inside its own workspace's keys only. */
function ownerByAttributes(image: Image, pk: string): { workspaceId: string; threadId: string } | null {
  const workspaceId = str(image, 'workspaceId');
  const threadId = str(image, 'threadId');
  if (
    !workspaceId ||
    !threadId ||
    !/^[0-9A-Za-z_-]{1,64}$/.test(workspaceId) ||
    !/^[0-9A-Za-z_-]{1,64}$/.test(threadId)
  )
    return null;
  // An item can only speak for a thread of the workspace whose partition it lives in.
  return pk.startsWith(`WS#${workspaceId}#`) || pk === `WS#${workspaceId}` ? { workspaceId, threadId } : null;
}

export function threadItemChangesOf(records: DynamoDBRecord[]): ThreadItemChange[] {
  const out: ThreadItemChange[] = [];
  for (const r of records) {
    const c = threadItemChangeOf(r);
    if (c) out.push(c);
  }
  return out;
}
