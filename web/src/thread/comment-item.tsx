import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fullTime } from '../../../design/format.ts';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { locale, t } from '../i18n/index.ts';
import { Button, useToast } from '../ui/index.ts';
import { threadQueries } from './queries.ts';

type Comment = Schemas['Comment'];

/**
 * An internal comment in the feed. Its author edits it in place or deletes it: the comment hides at once
 * with an Undo toast, and the DELETE goes when the toast does. The feed keeps an "edited" mark (the time of
 * the edit on hover); a deleted comment stays as a line without its body. Messages have no such actions:
 * a sent message is never edited.
 */
export function CommentItem({ threadId, comment, author }: { threadId: string; comment: Comment; author: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(comment.body);
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<string>();
  const mine = comment.actor.kind === 'agent' && comment.actor.id === currentSession()?.agentId;
  const path = { path: { threadId, itemId: comment.itemId }, query: { at: comment.at } };
  const refresh = () => qc.invalidateQueries({ queryKey: threadQueries.feed(threadId).queryKey });
  const save = useMutation({
    mutationFn: async (text: string) =>
      unwrap(await api.PATCH('/v1/threads/{threadId}/comments/{itemId}', { params: path, body: { body: text } })),
    onSuccess: () => {
      setEditing(false);
      return refresh();
    },
  });
  const remove = () => {
    setError(undefined);
    setHidden(true);
    toast({
      message: t('comment.deleted'),
      undo: () => setHidden(false),
      onExpire: () => {
        api
          .DELETE('/v1/threads/{threadId}/comments/{itemId}', { params: path })
          .then(unwrap)
          .catch((e: Error) => {
            setHidden(false);
            setError(e.message);
          })
          .finally(refresh);
      },
    });
  };
  if (hidden) return null;
  const deleted = !!comment.deletedAt;
  return (
    <article className="comment" aria-label={`${t('feed.commentBy')} ${author}`}>
      <header>
        <strong>{author}</strong> {t('feed.commented')}{' '}
        <time dateTime={comment.at}>{fullTime(comment.at, locale())}</time>
        {comment.editedAt && !deleted && (
          <span className="edited" title={fullTime(comment.editedAt, locale())}>
            {' '}
            ({t('comment.edited')})
          </span>
        )}
      </header>
      {deleted ? (
        <p className="body deleted">{t('comment.deleted')}</p>
      ) : editing ? (
        <form
          className="comment-edit"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) save.mutate(body);
          }}
        >
          <textarea
            aria-label={t('comment.editLabel')}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                if (body.trim()) save.mutate(body);
              }
            }}
          />
          <div className="actions">
            <Button type="submit" variant="primary" size="sm" disabled={!body.trim() || save.isPending}>
              {t('comment.save')}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setBody(comment.body);
                setEditing(false);
              }}
            >
              {t('comment.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <p className="body">{comment.body}</p>
      )}
      {mine && !deleted && !editing && (
        <div className="actions">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setBody(comment.body);
              setEditing(true);
            }}
          >
            {t('comment.edit')}
          </Button>
          <Button variant="ghost" size="sm" onClick={remove}>
            {t('comment.delete')}
          </Button>
        </div>
      )}
      {(save.isError || error) && (
        <p role="alert" className="error">
          {t('comment.notSaved', { message: save.error?.message ?? error ?? '' })}
        </p>
      )}
    </article>
  );
}
