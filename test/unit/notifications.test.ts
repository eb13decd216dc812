import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { type LiveConnection, viewOf } from '#core/live.ts';
import type { CommentItem, MessageItem, Thread, UpdateItem } from '#core/model.ts';
import { renderNotificationMail, seenInApp } from '#core/notifications/mail.ts';
import { mailRunName, notificationIdOf } from '#core/notifications/notify.ts';
import {
  channelsFor,
  effectivePreferences,
  type Notice,
  parsePreferencesPatch,
  recipientsOf,
} from '#core/notifications/rules.ts';
import type { Notification } from '#core/notifications/store.ts';
import { noticesOf } from '#core/notifications/triggers.ts';

const base = { workspaceId: 'W1', threadId: 'T1', itemId: 'I1', at: '2026-12-05T10:00:00.000Z' };

describe('notification rules', () => {
  it('defaults: assigned, answered and mentions on in every channel, the rest off; admins follow Unassigned', () => {
    const agent = effectivePreferences('agent', undefined, undefined);
    expect(channelsFor(agent, 'assigned')).toEqual(['app', 'browser', 'email']);
    expect(channelsFor(agent, 'answered')).toEqual(['app', 'browser', 'email']);
    expect(channelsFor(agent, 'mentioned')).toEqual(['app', 'browser', 'email']);
    expect(channelsFor(agent, 'newThread')).toEqual([]);
    expect(channelsFor(agent, 'slaBreach')).toEqual([]);
    expect(agent.followedViews).toEqual([]);
    expect(effectivePreferences('admin', undefined, undefined).followedViews).toEqual(['unassigned']);
  });

  it('the agent over the workspace over the product, channel by channel', () => {
    const prefs = effectivePreferences(
      'agent',
      { rules: { newThread: { app: true }, answered: { email: false } } },
      { rules: { answered: { email: true, browser: false } }, followedViews: ['all'] },
    );
    expect(prefs.rules.newThread).toEqual({ app: true, browser: false, email: false });
    expect(prefs.rules.answered).toEqual({ app: true, browser: false, email: true });
    expect(prefs.followedViews).toEqual(['all']);
  });

  it('refuses an unknown event or channel with a 400', () => {
    expect(() => parsePreferencesPatch({ rules: { lunch: { app: true } } })).toThrow(
      /invalid notification preferences/,
    );
    expect(() => parsePreferencesPatch({ rules: { answered: { pigeon: true } } })).toThrow();
    expect(() => parsePreferencesPatch({ followedViews: ['mine'] })).toThrow();
  });

  it('recipients: never the actor; answers go to the assignee and followers; new threads to view followers', () => {
    const n = (event: Notice['event'], extra: Partial<Notice> = {}): Notice => ({
      workspaceId: 'W1',
      threadId: 'T1',
      event,
      at: base.at,
      sourceId: 'S',
      ...extra,
    });
    const ctx = { assignee: 'ana', followers: ['rea', 'ana'] };
    expect(recipientsOf(n('answered'), ctx)).toEqual(['ana', 'rea']);
    expect(
      recipientsOf(n('mentioned', { agentIds: ['rea', 'ana'], actor: { kind: 'agent', id: 'ana' } }), ctx),
    ).toEqual(['rea']);
    expect(recipientsOf(n('assigned', { agentIds: ['ana'], actor: { kind: 'agent', id: 'ana' } }), ctx)).toEqual([]);
    const viewFollowers = [
      { agentId: 'boss', followedViews: ['unassigned' as const] },
      { agentId: 'all-eyes', followedViews: ['all' as const] },
      { agentId: 'quiet', followedViews: [] },
    ];
    expect(recipientsOf(n('newThread', { assigned: false }), { followers: [], viewFollowers })).toEqual([
      'boss',
      'all-eyes',
    ]);
    expect(recipientsOf(n('newThread', { assigned: true }), { followers: [], viewFollowers })).toEqual(['all-eyes']);
    expect(recipientsOf(n('slaBreach'), { assignee: 'ana', followers: [] })).toEqual(['ana']);
  });
});

describe('notification triggers', () => {
  const message = (over: Partial<MessageItem> = {}): MessageItem => ({
    type: 'message',
    ...base,
    direction: 'inbound',
    messageId: '<m@x>',
    from: { address: 'c@x' },
    to: [],
    cc: [],
    subject: 's',
    newText: 'Thanks,   it works',
    text: '',
    classification: 'ordinary',
    flags: {},
    attachments: [],
    ...over,
  });

  it("a customer's real answer is `answered`; auto-replies, strangers, quarantine and agents' mail are not", () => {
    expect(noticesOf({ kind: 'feedInserted', item: message() })).toEqual([
      {
        workspaceId: 'W1',
        threadId: 'T1',
        at: base.at,
        sourceId: 'I1',
        event: 'answered',
        excerpt: 'Thanks, it works',
      },
    ]);
    expect(noticesOf({ kind: 'feedInserted', item: message({ classification: 'auto_reply' }) })).toEqual([]);
    expect(noticesOf({ kind: 'feedInserted', item: message({ flags: { unverifiedSender: true } }) })).toEqual([]);
    expect(noticesOf({ kind: 'feedInserted', item: message({ flags: { quarantined: true } }) })).toEqual([]);
    expect(noticesOf({ kind: 'feedInserted', item: message({ direction: 'outbound' }) })).toEqual([]);
  });

  it('an assignment names the new assignee; an unassignment raises nothing', () => {
    const update = (to: unknown): UpdateItem => ({
      type: 'update',
      ...base,
      actor: { kind: 'agent', id: 'ana' },
      field: 'assignee',
      from: null,
      to,
    });
    expect(noticesOf({ kind: 'feedInserted', item: update('rea') })[0]).toMatchObject({
      event: 'assigned',
      agentIds: ['rea'],
    });
    expect(noticesOf({ kind: 'feedInserted', item: update(null) })).toEqual([]);
  });

  it('a comment with mentions is `mentioned`; one without is nothing', () => {
    const comment: CommentItem = {
      type: 'comment',
      ...base,
      actor: { kind: 'agent', id: 'ana' },
      body: '@Rea look',
      mentions: ['rea'],
    };
    expect(noticesOf({ kind: 'feedInserted', item: comment })[0]).toMatchObject({
      event: 'mentioned',
      agentIds: ['rea'],
      excerpt: '@Rea look',
    });
    expect(noticesOf({ kind: 'feedInserted', item: { ...comment, mentions: undefined } })).toEqual([]);
  });

  it("a customer's new thread is `newThread`; an agent's (no message yet) and a quarantined one are not", () => {
    const thread = { workspaceId: 'W1', threadId: 'T1', messageCount: 1, createdAt: base.at, snippet: 'Hi' } as Thread;
    expect(noticesOf({ kind: 'threadInserted', thread })).toEqual([
      {
        workspaceId: 'W1',
        threadId: 'T1',
        event: 'newThread',
        at: base.at,
        sourceId: 'thread-T1',
        assigned: false,
        excerpt: 'Hi',
      },
    ]);
    expect(noticesOf({ kind: 'threadInserted', thread: { ...thread, messageCount: 0 } })).toEqual([]);
    expect(noticesOf({ kind: 'threadInserted', thread: { ...thread, quarantined: true } })).toEqual([]);
  });
});

describe('notification ids, runs and mail', () => {
  it('the same (event, source, agent) gives the same id, time-sorted; another agent another id', () => {
    const notice = { at: '2026-12-05T10:00:00.123Z', event: 'answered' as const, sourceId: 'I1' };
    expect(notificationIdOf(notice, 'ana')).toBe(notificationIdOf(notice, 'ana'));
    expect(notificationIdOf(notice, 'ana')).toMatch(/^20261205100000123-[0-9a-f]{16}$/);
    expect(notificationIdOf(notice, 'rea')).not.toBe(notificationIdOf(notice, 'ana'));
    expect(mailRunName('T1', 'ana', notice.at)).toBe(mailRunName('T1', 'ana', notice.at));
    expect(mailRunName('01JDX0Q6C1V6S4B5Z2R9K8M7N3', 'x'.repeat(128), notice.at).length).toBeLessThanOrEqual(80);
  });

  const n = (over: Partial<Notification> = {}): Notification => ({
    workspaceId: 'W1',
    agentId: 'ana',
    notificationId: 'x',
    threadId: 'T1',
    event: 'answered',
    at: '2026-12-05T10:00:00.000Z',
    sourceId: 'I1',
    subject: 'Invoice <wrong>',
    channels: ['app', 'email'],
    ...over,
  });

  it('seen in the app: read in the bell, the thread opened after it, or (answers) the read marker past it', () => {
    expect(seenInApp(n(), undefined, undefined)).toBe(false);
    expect(seenInApp(n({ readAt: '2026-12-05T10:00:01.000Z' }), undefined, undefined)).toBe(true);
    expect(seenInApp(n(), '2026-12-05T10:00:05.000Z', undefined)).toBe(true);
    expect(seenInApp(n(), '2026-12-05T09:59:00.000Z', undefined)).toBe(false);
    expect(seenInApp(n(), undefined, '2026-12-05T10:00:00.000Z')).toBe(true);
    expect(seenInApp(n({ event: 'mentioned' }), undefined, '2026-12-05T10:00:00.000Z')).toBe(false);
  });

  it('the mail says the same in text and HTML, escapes what came from outside, and links to the thread', () => {
    const mail = renderNotificationMail({
      agentName: 'Ana',
      subject: 'Invoice <wrong>',
      ref: 'AB12',
      link: 'https://inbox.example/inbox/T1',
      notifications: [
        n({ excerpt: '<script>x</script>' }),
        n({
          event: 'mentioned',
          at: '2026-12-05T10:01:00.000Z',
          actor: { kind: 'agent', id: 'rea', name: 'Rea' },
          excerpt: 'look',
        }),
      ],
    });
    expect(mail.subject).toBe('[Go!Chat] 2 updates: Invoice <wrong> [#AB12]');
    expect(mail.text).toContain('- The customer answered: “<script>x</script>”\n- Rea mentioned you: “look”');
    expect(mail.text).toContain('Open the thread: https://inbox.example/inbox/T1');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('<a href="https://inbox.example/inbox/T1">Open the thread in the Inbox</a>');
  });
});

describe('live push of notifications', () => {
  const conn = (id: string, threadIds: string[] = []): LiveConnection => ({
    connectionId: `c-${id}`,
    workspaceId: 'W1',
    actor: { kind: 'agent', id },
    connectedAt: base.at,
    threadIds,
  });
  const event = {
    threadId: 'T1',
    changes: [
      { entity: 'notification', id: 'ana' },
      { entity: 'feed', id: 'I1' },
    ],
  };

  it('reaches the agent it is for, viewing the thread or not, and nobody else', () => {
    expect(viewOf(conn('ana'), event)?.changes).toEqual([{ entity: 'notification', id: 'ana' }]);
    expect(viewOf(conn('rea'), event)).toBeUndefined();
    expect(viewOf(conn('rea', ['T1']), event)?.changes).toEqual([{ entity: 'feed', id: 'I1' }]);
    expect(viewOf(conn('ana', ['T1']), event)?.changes).toEqual(event.changes);
  });

  it('keys: one partition per agent, inside the workspace', () => {
    expect(keys.notification('W1', 'ana', 'N1')).toEqual({ PK: 'WS#W1#NOTIF#ana', SK: 'N#N1' });
    expect(keys.unreadNotification('W1', 'ana', 'N1')).toEqual({ GSI1PK: 'WS#W1#NOTIF#ana#UNREAD', GSI1SK: 'N1' });
    expect(keys.notificationMailQueue('W1', 'ana', 'T1')).toEqual({ PK: 'WS#W1#NOTIF#ana', SK: 'MAILQ#T1' });
    expect(keys.follow('W1', 'T1', 'rea')).toEqual({ PK: 'WS#W1#TH#T1', SK: 'FOLLOW#rea' });
  });
});
