/**
 * An agent's answer on a thread, by chat or by email. The default is the channel of the customer's last
 * message: a chat (or an integrator's chat, `api`) is answered as chat, live into the widget or as an
 * event, and mailed by the fallback only if still unseen after the policy's delay; anything else by email.
 */
import { ValidationError } from '#core/errors.ts';
import type { MessageItem, Thread } from '#core/model.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { sendAgentChat } from './chat.ts';
import { type MessageInput, namedActor, postMessage, requireThread } from './threads.ts';

export type AnswerChannel = 'email' | 'chat';

/** What only mail can carry: asked for, the answer goes by email (or, asked by chat, is refused). */
const mailOnly = (input: MessageInput) =>
  (['cc', 'bcc', 'attachments', 'html', 'subject'] as const).filter((f) => input[f] !== undefined);

/** The channel of an answer: the one asked for, else the customer's last one (chat for chat and api). */
export function answerChannel(thread: Thread, input: MessageInput, asked?: AnswerChannel): AnswerChannel {
  if (asked) return asked;
  if (mailOnly(input).length > 0) return 'email';
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
  const refused = mailOnly(input);
  if (refused.length > 0)
    throw new ValidationError(`a chat answer carries text only; send by email for ${refused.join(', ')}`, {
      fields: refused,
    });
  if (input.templateId || !input.text) throw new ValidationError('a chat answer needs text');
  if (input.to) throw new ValidationError('a chat answer goes to the thread\u2019s contact: to is for email');
  const identity = await deps.mailboxes?.senderIdentity(ctx.workspaceId, thread.mailbox);
  return sendAgentChat(deps, { ...ctx, actor: await namedActor(deps, ctx) }, threadId, {
    text: input.text,
    ...(input.status ? { status: input.status } : {}),
    ...(identity?.displayName ? { mailboxName: identity.displayName } : {}),
  });
}
