import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { api, type Thread, type ThreadCard, unwrap } from '../api/client.ts';
import { useMergeThread } from './use-thread.ts';

const contactOf = (c: ThreadCard) => c.latestContact?.name || c.latestContact?.email || 'Unknown contact';
const titleOf = (c: Pick<ThreadCard, 'subject' | 'ref'>) => `${c.subject || '(no subject)'} [#${c.ref}]`;

/**
 * "Merge…" in the thread header: a modal dialog (focus moved into it, Escape closes it) where the agent finds the
 * thread to keep by keyword, then merges this one into it and lands on it. Errors (409 and others) show inside.
 */
export function MergeAction({ thread }: { thread: Thread }) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Merge…
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`merge-title-${thread.threadId}`}
        onClose={() => setOpen(false)}
        className="merge"
      >
        {open && <MergeForm thread={thread} titleId={`merge-title-${thread.threadId}`} onDone={() => setOpen(false)} />}
      </dialog>
    </>
  );
}

function MergeForm({ thread, titleId, onDone }: { thread: Thread; titleId: string; onDone: () => void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [target, setTarget] = useState<ThreadCard>();
  const merge = useMergeThread();
  const [, navigate] = useLocation();
  const hint = useId();
  const results = useQuery({
    queryKey: ['threads', 'merge-search', q],
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/v1/threads', { params: { query: { ...(q ? { q } : {}), limit: 20 } as never }, signal }),
      ) as { items: ThreadCard[] },
  });
  const candidates = (results.data?.items ?? []).filter((c) => c.threadId !== thread.threadId);

  const confirm = async () => {
    if (!target) return;
    try {
      const survivor = await merge.mutateAsync({ from: thread.threadId, into: target.threadId });
      onDone();
      navigate(`/inbox/${survivor.threadId}`);
    } catch {
      // Shown below from merge.error.
    }
  };

  return (
    <div className="merge-form">
      <h2 id={titleId}>Merge “{titleOf(thread)}” into another thread</h2>
      <p id={hint} className="hint">
        Its messages, updates and comments move to the thread you pick; this one is closed.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTarget(undefined);
          setQ(text.trim());
        }}
      >
        <label>
          Find a thread
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={hint}
            // biome-ignore lint/a11y/noAutofocus: the dialog just opened to search for the target
            autoFocus
          />
        </label>{' '}
        <button type="submit">Find</button>
      </form>
      {results.isError && (
        <p role="alert" className="error">
          {results.error.message}
        </p>
      )}
      {results.isPending ? (
        <p aria-busy="true">Searching…</p>
      ) : candidates.length === 0 ? (
        <p className="empty">No other thread matches.</p>
      ) : (
        <fieldset>
          <legend>Thread to merge into</legend>
          {candidates.map((c) => (
            <label key={c.threadId} className="check">
              <input
                type="radio"
                name={`merge-target-${thread.threadId}`}
                checked={target?.threadId === c.threadId}
                onChange={() => setTarget(c)}
              />
              {titleOf(c)} — {contactOf(c)}
            </label>
          ))}
        </fieldset>
      )}
      {merge.isError && (
        <p role="alert" className="error">
          {merge.error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" disabled={!target || merge.isPending} onClick={confirm}>
          {target ? `Merge this thread into “${titleOf(target)}”` : 'Merge this thread into…'}
        </button>{' '}
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
