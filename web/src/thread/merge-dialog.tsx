import { useQuery } from '@tanstack/react-query';
import { Merge } from 'lucide-react';
import { useId, useState } from 'react';
import { useLocation } from 'wouter';
import type { Thread, ThreadCard } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button, Dialog } from '../ui/index.ts';
import { threadQueries } from './queries.ts';
import { useMergeThread } from './use-thread.ts';

const contactOf = (c: ThreadCard) => c.latestContact?.name || c.latestContact?.email || t('card.unknownContact');
const titleOf = (c: Pick<ThreadCard, 'subject' | 'ref'>) => `${c.subject || t('thread.noSubject')} [#${c.ref}]`;

/**
 * "Merge…" in the thread header: a modal dialog (focus moved into it, Escape closes it) where the agent finds the
 * thread to keep by keyword, then merges this one into it and lands on it. Errors (409 and others) show inside.
 */
export function MergeAction({ thread }: { thread: Thread }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" icon={Merge} onClick={() => setOpen(true)}>
        {t('merge.open')}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        className="merge"
        title={t('merge.title', { name: titleOf(thread) })}
      >
        <MergeForm thread={thread} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function MergeForm({ thread, onDone }: { thread: Thread; onDone: () => void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [target, setTarget] = useState<ThreadCard>();
  const merge = useMergeThread();
  const [, navigate] = useLocation();
  const hint = useId();
  const results = useQuery(threadQueries.search(q));
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
      <p id={hint} className="hint">
        {t('merge.hint')}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTarget(undefined);
          setQ(text.trim());
        }}
      >
        <label>
          {t('merge.find')}
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={hint}
            // biome-ignore lint/a11y/noAutofocus: the dialog just opened to search for the target
            autoFocus
          />
        </label>{' '}
        <Button type="submit">{t('merge.findButton')}</Button>
      </form>
      {results.isError && (
        <p role="alert" className="error">
          {results.error.message}
        </p>
      )}
      {results.isPending ? (
        <p aria-busy="true">{t('merge.searching')}</p>
      ) : candidates.length === 0 ? (
        <p className="field-hint">{t('merge.noMatch')}</p>
      ) : (
        <fieldset>
          <legend>{t('merge.target')}</legend>
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
        <Button variant="primary" disabled={!target || merge.isPending} onClick={confirm}>
          {target ? t('merge.confirm', { name: titleOf(target) }) : t('merge.confirmNone')}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
