import { useState } from 'react';
import { Link } from 'wouter';
import { avatarFor, useAgents } from '../agents/use-agents.ts';
import { ApiError, type Status, type Thread } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { useCustomers } from '../customers/use-customers.ts';
import { StatusDot } from '../ui/status-dot.tsx';
import { MergeAction } from './merge-dialog.tsx';
import { type ThreadPatch, useThread, useUpdateThread } from './use-thread.ts';

interface Conflict {
  patch: ThreadPatch;
  message: string;
}

const describe = (p: ThreadPatch) =>
  Object.entries(p)
    .map(([k, v]) => `${k} → ${Array.isArray(v) ? v.join(', ') || 'none' : (v ?? 'none')}`)
    .join('; ');

/**
 * The messages view's header: status, assignee, tags and customers. Every edit carries the version the
 * agent started from; a stale one (409) is shown with both sides, and the agent applies it again on the
 * current version or drops it: never silently lost.
 */
export function ThreadHeader({ thread }: { thread: Thread }) {
  const update = useUpdateThread(thread.threadId);
  const [conflict, setConflict] = useState<Conflict>();
  const [error, setError] = useState<string>();

  const save = async (patch: ThreadPatch, version: number) => {
    setError(undefined);
    try {
      await update.mutateAsync({ patch, version });
      setConflict(undefined);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'version_conflict') {
        setConflict({ patch, message: e.message });
      } else setError((e as Error).message);
      return false;
    }
  };

  return (
    <header className="thread-header">
      <h2>
        <StatusDot status={thread.status} reminderIndex={thread.reminderIndex} /> {thread.subject || '(no subject)'}{' '}
        <span className="ref">[#{thread.ref}]</span>
      </h2>
      {thread.mergedInto && <MergedNotice into={thread.mergedInto} />}
      {conflict && (
        <div role="alert" className="conflict">
          <p>
            <strong>Conflict:</strong> this thread changed since you began this edit (it is now at version{' '}
            {thread.version}). Your change was not saved: {describe(conflict.patch)}.
          </p>
          <p>
            Now: status {thread.status}, assignee {thread.assignee ?? 'none'}, tags {thread.tags.join(', ') || 'none'}.
          </p>
          <button type="button" onClick={() => save(conflict.patch, thread.version)}>
            Apply my change
          </button>{' '}
          <button type="button" onClick={() => setConflict(undefined)}>
            Discard my change
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!thread.mergedInto && (
        <div className="header-fields">
          <StatusField thread={thread} save={save} />
          <AssigneeField thread={thread} save={save} />
          <TagsField thread={thread} save={save} />
          <CustomersField thread={thread} save={save} />
          <span className="field">
            <MergeAction thread={thread} />
          </span>
        </div>
      )}
    </header>
  );
}

/** A merged thread is a closed forwarding address: it names the thread that holds everything now. */
function MergedNotice({ into }: { into: string }) {
  const survivor = useThread(into).data;
  const name = survivor ? `${survivor.subject || '(no subject)'} [#${survivor.ref}]` : 'another thread';
  return (
    <p className="notice">
      This thread was merged; it can no longer be changed. <Link href={`/inbox/${into}`}>Merged into {name}</Link>
    </p>
  );
}

type Save = (patch: ThreadPatch, version: number) => Promise<boolean>;

function StatusField({ thread, save }: { thread: Thread; save: Save }) {
  return (
    <span className="field">
      <label htmlFor={`status-${thread.threadId}`}>Status</label>
      <select
        id={`status-${thread.threadId}`}
        value={thread.status}
        onChange={(e) => save({ status: e.target.value as Status }, thread.version)}
      >
        <option value="open">Open</option>
        <option value="reminder">Reminder</option>
        <option value="waiting">Waiting</option>
        <option value="closed">Closed</option>
      </select>
    </span>
  );
}

function AssigneeField({ thread, save }: { thread: Thread; save: Save }) {
  const { data: agents } = useAgents();
  const me = currentSession()?.agentId;
  const known = new Set((agents ?? []).map((a) => a.agentId));
  return (
    <span className="field">
      <label htmlFor={`assignee-${thread.threadId}`}>Assignee</label>
      <select
        id={`assignee-${thread.threadId}`}
        value={thread.assignee ?? ''}
        onChange={(e) => save({ assignee: e.target.value || null }, thread.version)}
      >
        <option value="">Unassigned</option>
        {agents?.map((a) => (
          <option key={a.agentId} value={a.agentId}>
            {a.name}
          </option>
        ))}
        {thread.assignee && !known.has(thread.assignee) && (
          <option value={thread.assignee}>{avatarFor(thread.assignee, agents).name}</option>
        )}
      </select>
      {me && thread.assignee !== me && (
        <button type="button" onClick={() => save({ assignee: me }, thread.version)}>
          Assign to me
        </button>
      )}
    </span>
  );
}

function TagsField({ thread, save }: { thread: Thread; save: Save }) {
  const [editing, setEditing] = useState<{ text: string; version: number }>();
  if (!editing)
    return (
      <span className="field">
        <span className="field-label">Tags</span>
        <ul className="tags" aria-label="Tags">
          {thread.tags.map((t) => (
            <li key={t} className="tag">
              {t}
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => setEditing({ text: thread.tags.join(', '), version: thread.version })}>
          Edit tags
        </button>
      </span>
    );
  const submit = async () => {
    const tags = [
      ...new Set(
        editing.text
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    // Saved on the version the edit started from, so that a change made meanwhile shows as a conflict.
    await save({ tags }, editing.version);
    setEditing(undefined);
  };
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        Tags
        <input
          value={editing.text}
          onChange={(e) => setEditing({ ...editing, text: e.target.value })}
          aria-describedby="tags-help"
          // biome-ignore lint/a11y/noAutofocus: the agent just asked to edit the tags
          autoFocus
        />
      </label>
      <span id="tags-help" className="hint">
        Comma-separated
      </span>
      <button type="submit">Save tags</button>
      <button type="button" onClick={() => setEditing(undefined)}>
        Cancel
      </button>
    </form>
  );
}

function CustomersField({ thread, save }: { thread: Thread; save: Save }) {
  const customers = useCustomers();
  const all = customers.data?.pages.flatMap((p) => p.items) ?? [];
  const nameOf = (id: string) => all.find((c) => c.customerId === id)?.name ?? id;
  const [editing, setEditing] = useState<{ ids: string[]; version: number }>();
  if (!editing)
    return (
      <span className="field">
        <span className="field-label">Customers</span>
        <ul className="chips" aria-label="Customers">
          {thread.customerIds.map((id) => (
            <li key={id}>
              <Link href={`/customers/${id}`}>{nameOf(id)}</Link>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => setEditing({ ids: thread.customerIds, version: thread.version })}>
          Edit customers
        </button>
      </span>
    );
  return (
    <form
      className="field"
      onSubmit={async (e) => {
        e.preventDefault();
        if (editing.ids.length === 0) return;
        await save({ customerIds: editing.ids }, editing.version);
        setEditing(undefined);
      }}
    >
      <fieldset>
        <legend>Customers of the thread</legend>
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
      <button type="submit" disabled={editing.ids.length === 0}>
        Save customers
      </button>
      <button type="button" onClick={() => setEditing(undefined)}>
        Cancel
      </button>
    </form>
  );
}
