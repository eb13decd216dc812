import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useAgents } from '../agents/index.ts';
import { idempotencyKey } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button, Picker } from '../ui/index.ts';
import { useAddComment } from './use-thread.ts';

/** The agents whose `@Name` is still in the text: a mention deleted from the text is no longer sent. */
export const mentionsIn = (body: string, picked: { agentId: string; name: string }[]) => [
  ...new Set(picked.filter((p) => body.includes(`@${p.name}`)).map((p) => p.agentId)),
];

/**
 * The seed's main text bar at the bottom of the feed: an internal comment, never seen by the customer.
 * `@` typed at the start of a word opens the agents' picker (also offered as a button); the agent picked is
 * written `@Name` and sent in the comment's `mentions`, so that they are told.
 */
export const CommentBar = forwardRef<HTMLTextAreaElement, { threadId: string }>(function CommentBar({ threadId }, ref) {
  const [body, setBody] = useState('');
  const [picked, setPicked] = useState<{ agentId: string; name: string }[]>([]);
  const key = useRef(idempotencyKey());
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLSpanElement>(null);
  const at = useRef<number | null>(null);
  useImperativeHandle(ref, () => area.current!, []);
  const agents = useAgents();
  const add = useAddComment(threadId);
  const submit = async () => {
    if (!body.trim()) return;
    await add.mutateAsync({ body, key: key.current, mentions: mentionsIn(body, picked) });
    setBody('');
    setPicked([]);
    key.current = idempotencyKey();
  };
  const openPicker = (atIndex: number | null) => {
    at.current = atIndex;
    picker.current?.querySelector<HTMLButtonElement>('button')?.click();
  };
  const mention = (agentId: string) => {
    const agent = agents.data?.find((a) => a.agentId === agentId);
    if (!agent) return;
    const text = `@${agent.name} `;
    // Replaces the `@` just typed, or goes where the caret was.
    const start = at.current ?? area.current?.selectionStart ?? body.length;
    const end = at.current !== null ? start + 1 : start;
    const next = body.slice(0, start) + text + body.slice(end);
    setBody(next);
    setPicked((p) => [...p, { agentId, name: agent.name }]);
    at.current = null;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  return (
    <form
      className="comment-bar"
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch(() => {});
      }}
    >
      <label htmlFor={`comment-${threadId}`} className="visually-hidden">
        {t('comment.label')}
      </label>
      <textarea
        id={`comment-${threadId}`}
        ref={area}
        rows={2}
        placeholder={t('comment.placeholder')}
        value={body}
        onChange={(e) => {
          const next = e.target.value;
          const caret = e.target.selectionStart ?? next.length;
          const typedAt =
            next.length === body.length + 1 && next[caret - 1] === '@' && (caret === 1 || /\s/.test(next[caret - 2]!));
          setBody(next);
          if (typedAt) openPicker(caret - 1);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit().catch(() => {});
          }
        }}
      />
      <span ref={picker} className="mention-picker">
        <Picker<string>
          label={t('mention.label')}
          value=""
          renderValue={() => '@'}
          placeholder={t('thread.findAgent')}
          options={(agents.data ?? []).map((a) => ({ value: a.agentId, label: a.name }))}
          onSelect={mention}
        />
      </span>
      <Button type="submit" disabled={!body.trim() || add.isPending}>
        {t('comment.add')}
      </Button>
      {add.isError && (
        <p role="alert" className="error">
          {t('comment.error', { message: add.error.message })}
        </p>
      )}
    </form>
  );
});
