import { forwardRef, useRef, useState } from 'react';
import { idempotencyKey } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import { useAddComment } from './use-thread.ts';

/** The seed's main text bar at the bottom of the feed: an internal comment, never seen by the customer. */
export const CommentBar = forwardRef<HTMLTextAreaElement, { threadId: string }>(function CommentBar({ threadId }, ref) {
  const [body, setBody] = useState('');
  const key = useRef(idempotencyKey());
  const add = useAddComment(threadId);
  const submit = async () => {
    if (!body.trim()) return;
    await add.mutateAsync({ body, key: key.current });
    setBody('');
    key.current = idempotencyKey();
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
        ref={ref}
        rows={2}
        placeholder={t('comment.placeholder')}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit().catch(() => {});
          }
        }}
      />
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
