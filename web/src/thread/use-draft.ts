import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, idempotencyKey, type Schemas, unwrap } from '../api/client.ts';
import { threadQueries } from './queries.ts';

type DraftFields = Pick<Schemas['DraftFields'], 'to' | 'cc' | 'bcc' | 'quote' | 'text' | 'html' | 'templateId'>;

/** Typing pauses this long before the draft is saved. */
const SAVE_AFTER_MS = 600;

/**
 * The message being written, saved on the server as the agent types (a draft: it survives a reload, and
 * colleagues see "X is writing"). `send` flushes the last edit and sends through the draft's send route.
 */
export function useDraft(threadId: string) {
  const [loaded, setLoaded] = useState<Schemas['Draft'] | null | undefined>(undefined);
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const id = useRef<string | undefined>(undefined);
  const pending = useRef<DraftFields | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());

  const qc = useQueryClient();
  useEffect(() => {
    let live = true;
    // Read once when the composer opens (fresh, not from the cache): later changes are the agent's own.
    qc.fetchQuery({ ...threadQueries.drafts(threadId), staleTime: 0 })
      .then((items) => {
        const mine = items.find((d) => d.mine) ?? null;
        id.current = mine?.draftId;
        if (live) setLoaded(mine);
      })
      .catch(() => live && setLoaded(null));
    return () => {
      live = false;
    };
  }, [qc, threadId]);

  const write = useCallback(
    (fields: DraftFields) => {
      chain.current = chain.current.then(async () => {
        setSaved('saving');
        try {
          if (!id.current) {
            const body = Object.fromEntries(
              Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
            );
            const draft = unwrap(
              await api.POST('/v1/threads/{threadId}/drafts', {
                params: { path: { threadId }, header: { 'Idempotency-Key': idempotencyKey() } as never },
                body,
              }),
            );
            id.current = draft.draftId;
          } else {
            unwrap(
              await api.PATCH('/v1/threads/{threadId}/drafts/{draftId}', {
                params: { path: { threadId, draftId: id.current } },
                body: {
                  to: fields.to?.length ? fields.to : null,
                  cc: fields.cc?.length ? fields.cc : null,
                  bcc: fields.bcc?.length ? fields.bcc : null,
                  // Only a dropped quote is kept (the send's default quotes).
                  quote: fields.quote === false ? false : null,
                  text: fields.text ? fields.text : null,
                  html: fields.html ? fields.html : null,
                  templateId: fields.templateId ? fields.templateId : null,
                },
              }),
            );
          }
          setSaved('saved');
        } catch {
          setSaved('error');
        }
      });
      return chain.current;
    },
    [threadId],
  );

  /** Saves the fields a moment after the last change. */
  const change = useCallback(
    (fields: DraftFields) => {
      pending.current = fields;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const f = pending.current;
        pending.current = undefined;
        if (f) write(f);
      }, SAVE_AFTER_MS);
    },
    [write],
  );

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    const f = pending.current;
    pending.current = undefined;
    if (f) await write(f);
    await chain.current;
  }, [write]);

  const send = useCallback(
    async (fields: DraftFields, options: Schemas['SendDraftRequest']) => {
      pending.current = fields;
      await flush();
      if (!id.current) throw new Error('The draft could not be saved, so it was not sent.');
      const message = unwrap(
        await api.POST('/v1/threads/{threadId}/drafts/{draftId}/send', {
          params: { path: { threadId, draftId: id.current } },
          body: options,
        }),
      );
      id.current = undefined;
      return message;
    },
    [flush, threadId],
  );

  const discard = useCallback(async () => {
    clearTimeout(timer.current);
    pending.current = undefined;
    await chain.current;
    if (id.current)
      await api.DELETE('/v1/threads/{threadId}/drafts/{draftId}', {
        params: { path: { threadId, draftId: id.current } },
      });
    id.current = undefined;
  }, [threadId]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return { loaded, saved, change, send, discard };
}
