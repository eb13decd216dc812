import { describe, expect, it } from 'vitest';
import type { MessageItem } from '#core/model.ts';
import { newThread, statusLabel, withItem, withMessage, withStatus, withTimerRestart } from '#core/thread-state.ts';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s)).toISOString();
const base = () =>
  newThread({ workspaceId: 'w', threadId: 't', ref: '12', subject: 'Help', customerIds: ['c', 'c'], at: at(0) });
const message = (s: number, extra: Partial<MessageItem> = {}): MessageItem => ({
  type: 'message',
  workspaceId: 'w',
  threadId: 't',
  itemId: `i${s}`,
  at: at(s),
  direction: 'inbound',
  messageId: `<m${s}@x>`,
  from: { address: 'ann@example.com', name: 'Ann' },
  to: [],
  cc: [],
  subject: 'Help',
  newText: `  text\n of ${s} `,
  text: '',
  classification: 'ordinary',
  flags: {},
  attachments: [],
  contactId: 'k1',
  ...extra,
});

describe('thread state', () => {
  it('starts open at statusVersion 1 with de-duplicated customers', () => {
    expect(base()).toMatchObject({ status: 'open', statusVersion: 1, rev: 0, customerIds: ['c'], itemCount: 0 });
  });

  it('keeps the card on the latest message even when messages arrive out of order', () => {
    const t = withMessage(withMessage(base(), message(5)), message(3));
    expect(t).toMatchObject({
      messageCount: 2,
      itemCount: 2,
      lastMessageAt: at(5),
      updatedAt: at(5),
      snippet: 'text of 5',
    });
    expect(t.references).toEqual(['<m5@x>', '<m3@x>']);
    expect(t.latestContact).toEqual({ contactId: 'k1', email: 'ann@example.com', name: 'Ann' });
  });

  it("shows the latest contact's name and external id from the contact, not only the From header", () => {
    const t = withMessage(base(), message(1), { contactId: 'k1', name: 'Ann Smith', externalId: 'crm-42' });
    expect(t.latestContact).toEqual({
      contactId: 'k1',
      email: 'ann@example.com',
      name: 'Ann Smith',
      externalId: 'crm-42',
    });
    // A contact without a name of its own keeps the From display name.
    const u = withMessage(base(), message(1), { contactId: 'k1', externalId: 'crm-42' });
    expect(u.latestContact).toEqual({ contactId: 'k1', email: 'ann@example.com', name: 'Ann', externalId: 'crm-42' });
  });

  it('lists attachment names once and ignores inline images for the card', () => {
    const att = (filename: string, inline: boolean) => ({
      attachmentId: filename,
      filename,
      contentType: 'x/y',
      size: 1,
      key: 'k',
      inline,
    });
    const t = withMessage(
      base(),
      message(1, { attachments: [att('a.pdf', false), att('logo.png', true), att('a.pdf', false)] }),
    );
    expect(t).toMatchObject({ hasAttachments: true, attachmentNames: ['a.pdf'] });
    expect(withMessage(base(), message(1, { attachments: [att('logo.png', true)] })).hasAttachments).toBe(false);
  });

  it('records a status change as an update and supersedes timers by incrementing statusVersion', () => {
    const change = withStatus(
      base(),
      { status: 'reminder', reminderIndex: 2 },
      { itemId: 'u', at: at(9), actor: { kind: 'agent', id: 'a' } },
    );
    expect(change?.thread).toMatchObject({
      status: 'reminder',
      reminderIndex: 2,
      statusVersion: 2,
      itemCount: 1,
      updatedAt: at(9),
    });
    expect(change?.item).toMatchObject({ type: 'update', field: 'status', from: 'open', to: 'reminder(2)' });
    const reopened = withStatus(
      change!.thread,
      { status: 'open' },
      { itemId: 'v', at: at(10), actor: { kind: 'system', id: 'workflow' } },
    );
    expect(reopened?.thread.reminderIndex).toBeUndefined();
    expect(reopened?.thread.statusVersion).toBe(3);
  });

  it('writes nothing when the status does not change', () => {
    expect(
      withStatus(base(), { status: 'open' }, { itemId: 'u', at: at(1), actor: { kind: 'system', id: 'ingest' } }),
    ).toBeNull();
  });

  it('counts comments and labels statuses', () => {
    expect(withItem(base(), at(4))).toMatchObject({ itemCount: 1, updatedAt: at(4) });
    expect(statusLabel({ status: 'reminder', reminderIndex: 1 })).toBe('reminder(1)');
    expect(statusLabel({ status: 'waiting' })).toBe('waiting');
  });
});

describe('withTimerRestart', () => {
  it('gives a reminder or waiting thread a new statusVersion (a new timer), and leaves open and closed alone', () => {
    const t = withStatus(
      base(),
      { status: 'reminder' },
      { itemId: 'u', at: at(1), actor: { kind: 'agent', id: 'a' } },
    )!.thread;
    expect(withTimerRestart(t)).toEqual({ ...t, statusVersion: t.statusVersion + 1 });
    expect(withTimerRestart(base())).toBeNull();
  });
});
