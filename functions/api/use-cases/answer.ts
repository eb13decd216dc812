/**
 * An agent's answer on a thread, by chat or by email. The default is the channel of the customer's last
 * message: a chat (or an integrator's chat, `api`) is answered as chat, live into the widget or as an
 * event, and mailed by the fallback only if still unseen after the policy's delay; anything else by email.
 */
import { CHAT_LIMITS } from '#core/chat.ts';
import { ValidationError } from '#core/errors.ts';
import type { MessageItem, Thread } from '#core/model.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { sendAgentChat } from './chat.ts';
import { composeBody, type MessageInput, namedActor, postMessage, requireThread } from './threads.ts';

export type AnswerChannel = 'email' | 'chat';

/**
 * What only mail can carry: asked for, the answer goes by email (or, asked by chat, is refused). A `to`
 * naming just the thread's contact (a composer fills it in) is what a chat answer does anyway.
 */
function mailOnly(input: MessageInput, thread: Thread): string[] {
  const fields: string[] = (['cc', 'bcc', 'attachments', 'html', 'subject'] as const).filter(
    (f) => input[f] !== undefined,
  );
  const contact = thread.latestContact?.email.toLowerCase();
  if (input.to && !(input.to.length === 1 && input.to[0].toLowerCase() === contact)) fields.push('to');
  return fields;
}

/** The channel of an answer: the one asked for, else the customer's last one (chat for chat and api). */
export function answerChannel(thread: Thread, input: MessageInput, asked?: AnswerChannel): AnswerChannel {
  if (asked) return asked;
  if (mailOnly(input, thread).length > 0) return 'email';
  const last = thread.lastCustomerMessage?.channel;
  return last === 'chat' || last === 'api' ? 'chat' : 'email';
}

export async function postAnswer(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  input: MessageInput,
  asked?: AnswerChannel,
): Promise<MessageItem> {
  const thread = await requireThread(deps, ctx, threadId);
  if (answerChannel(thread, input, asked) === 'email') return postMessage(deps, ctx, threadId, input);
  const refused = mailOnly(input, thread);
  if (refused.length > 0)
    throw new ValidationError(`a chat answer carries text only; send by email for ${refused.join(', ')}`, {
      fields: refused,
    });
  // A template (a canned response) renders to the chat's text, with the thread's variables.
  const contact = thread.latestContact?.email;
  const { text } = await composeBody(deps, ctx, thread, contact ? [contact] : [], input);
  if (text.length > CHAT_LIMITS.textChars)
    throw new ValidationError(`a chat answer is at most ${CHAT_LIMITS.textChars} characters; send it by email`);
  const identity = await deps.mailboxes?.senderIdentity(ctx.workspaceId, thread.mailbox);
  return sendAgentChat(deps, { ...ctx, actor: await namedActor(deps, ctx) }, threadId, {
    text,
    ...(input.status ? { status: input.status } : {}),
    ...(identity?.displayName ? { mailboxName: identity.displayName } : {}),
  });
}
