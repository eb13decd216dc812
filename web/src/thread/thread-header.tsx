import { UserCheck } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'wouter';
import { avatarFor, useAgents } from '../agents/index.ts';
import { ApiError, type Status, type Thread } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { useCustomers } from '../customers/index.ts';
import { t } from '../i18n/index.ts';
import { Badge, Button, Menu, Picker, StatusDot, toneOf } from '../ui/index.ts';
import { ConflictDialog } from './conflict-dialog.tsx';
import { MergeAction } from './merge-dialog.tsx';
import { SnoozeField } from './snooze.tsx';
import { type ThreadPatch, useThread, useUpdateThread } from './use-thread.ts';

/**
 * The messages view's header: status, assignee, tags and customers. Every edit carries the version the
 * agent started from; a stale one (409) opens the conflict dialog. Status and assignee are a menu and a
 * picker: nothing is saved until the agent picks (a <select> would save on every arrow key).
 */
export function ThreadHeader({ thread, children }: { thread: Thread; children?: React.ReactNode }) {
  const update = useUpdateThread(thread.threadId);
  const [conflict, setConflict] = useState<ThreadPatch>();
  const [error, setError] = useState<string>();

  const save = async (patch: ThreadPatch, version: number) => {
    setError(undefined);
    try {
      await update.mutateAsync({ patch, version });
      setConflict(undefined);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'version_conflict') setConflict(patch);
      else setError((e as Error).message);
      return false;
    }
  };

  return (
    <header className="thread-header">
      <div className="thread-title">
        <h2>
          <StatusDot status={thread.status} reminderIndex={thread.reminderIndex} />{' '}
          {thread.subject || t('thread.noSubject')} <span className="ref">[#{thread.ref}]</span>
        </h2>
        {children}
      </div>
      {thread.mergedInto && <MergedNotice into={thread.mergedInto} />}
      {conflict && (
        <ConflictDialog
          thread={thread}
          patch={conflict}
          onApply={() => save(conflict, thread.version)}
          onDiscard={() => setConflict(undefined)}
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!thread.mergedInto && (
        <div className="header-fields">
          <StatusField thread={thread} save={save} />
          <SnoozeField thread={thread} save={save} />
          <AssigneeField thread={thread} save={save} />
          <TagsField thread={thread} save={save} />
          <CustomersField thread={thread} save={save} />
          <MergeAction thread={thread} />
        </div>
      )}
    </header>
  );
}

/** A merged thread is a closed forwarding address: it names the thread that holds everything now. */
function MergedNotice({ into }: { into: string }) {
  const survivor = useThread(into).data;
  const name = survivor ? `${survivor.subject || t('thread.noSubject')} [#${survivor.ref}]` : t('thread.another');
  return (
    <p className="notice">
      {t('thread.merged')} <Link href={`/inbox/${into}`}>{t('thread.mergedInto', { name })}</Link>
    </p>
  );
}

type Save = (patch: ThreadPatch, version: number) => Promise<boolean>;

const STATUSES: Status[] = ['open', 'reminder', 'waiting', 'closed'];

function StatusField({ thread, save }: { thread: Thread; save: Save }) {
  return (
    <Menu<Status>
      label={t('thread.status')}
      value={thread.status}
      // A snoozed thread shows it; picking another status unsnoozes it.
      options={[...STATUSES, ...(thread.status === 'snoozed' ? (['snoozed'] as const) : [])].map((s) => ({
        value: s,
        label: t(`status.${s}`),
      }))}
      // The dot here is decoration: the button's name says the status, and the title's dot is the labelled one.
      renderValue={(o) => (
        <>
          <span className={`status-dot status-${toneOf(thread.status)}`} aria-hidden="true" /> {o?.label}
        </>
      )}
      onSelect={(status) => save({ status }, thread.version)}
    />
  );
}

function AssigneeField({ thread, save }: { thread: Thread; save: Save }) {
  const { data: agents } = useAgents();
  const me = currentSession()?.agentId;
  const options = [
    { value: '', label: t('thread.unassigned') },
    ...(agents ?? []).map((a) => ({ value: a.agentId, label: a.name })),
  ];
  if (thread.assignee && !options.some((o) => o.value === thread.assignee))
    options.push({ value: thread.assignee, label: avatarFor(thread.assignee, agents).name });
  return (
    <span className="field-inline">
      <Picker<string>
        label={t('thread.assignee')}
        value={thread.assignee ?? ''}
        options={options}
        placeholder={t('thread.findAgent')}
        onSelect={(v) => save({ assignee: v || null }, thread.version)}
      />
      {me && thread.assignee !== me && (
        <Button variant="ghost" icon={UserCheck} onClick={() => save({ assignee: me }, thread.version)}>
          {t('thread.assignToMe')}
        </Button>
      )}
    </span>
  );
}

function TagsField({ thread, save }: { thread: Thread; save: Save }) {
  const [editing, setEditing] = useState<{ text: string; version: number }>();
  if (!editing)
    return (
      <span className="field-inline">
        <ul className="tags" aria-label={t('thread.tags')}>
          {thread.tags.map((tag) => (
            <li key={tag}>
              <Badge>{tag}</Badge>
            </li>
          ))}
        </ul>
        <Button variant="ghost" onClick={() => setEditing({ text: thread.tags.join(', '), version: thread.version })}>
          {t('thread.editTags')}
        </Button>
      </span>
    );
  const submit = async () => {
    const tags = [
      ...new Set(
        editing.text
          .split(',')
          .map((x) => x.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    // Saved on the version the edit started from, so that a change made meanwhile shows as a conflict.
    await save({ tags }, editing.version);
    setEditing(undefined);
  };
  return (
    <form
      className="field-inline header-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="field-label" htmlFor={`tags-${thread.threadId}`}>
        {t('thread.tags')}
      </label>
      <input
        id={`tags-${thread.threadId}`}
        value={editing.text}
        onChange={(e) => setEditing({ ...editing, text: e.target.value })}
        aria-describedby={`tags-help-${thread.threadId}`}
        // biome-ignore lint/a11y/noAutofocus: the agent just asked to edit the tags
        autoFocus
      />
      <span id={`tags-help-${thread.threadId}`} className="field-hint">
        {t('thread.tagsHint')}
      </span>
      <Button type="submit" variant="primary">
        {t('thread.saveTags')}
      </Button>
      <Button variant="ghost" onClick={() => setEditing(undefined)}>
        {t('common.cancel')}
      </Button>
    </form>
  );
}

function CustomersField({ thread, save }: { thread: Thread; save: Save }) {
  const customers = useCustomers();
  const all = customers.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<{ ids: string[]; version: number }>();
  if (!editing)
    return (
      <Button variant="ghost" onClick={() => setEditing({ ids: thread.customerIds, version: thread.version })}>
        {t('thread.editCustomers')}
      </Button>
    );
  return (
    <form
      className="header-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (editing.ids.length === 0) return;
        await save({ customerIds: editing.ids }, editing.version);
        setEditing(undefined);
      }}
    >
      <fieldset>
        <legend>{t('thread.customersOf')}</legend>
        {all.map((c) => (
          <label key={c.customerId} className="check">
            <input
              type="checkbox"
              checked={editing.ids.includes(c.customerId)}
              onChange={(e) =>
                setEditing({
                  ...editing,
                  ids: e.target.checked
                    ? [...editing.ids, c.customerId]
                    : editing.ids.filter((x) => x !== c.customerId),
                })
              }
            />
            {c.name}
          </label>
        ))}
      </fieldset>
      <Button type="submit" variant="primary" disabled={editing.ids.length === 0}>
        {t('thread.saveCustomers')}
      </Button>
      <Button variant="ghost" onClick={() => setEditing(undefined)}>
        {t('common.cancel')}
      </Button>
    </form>
  );
}
