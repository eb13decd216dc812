/** Step 5 of ingest (functions/core/ingest/after-commit.ts): idempotent effects after the commit. */
import { describe, expect, it } from 'vitest';
import { afterCommit, publishEvents } from '#core/ingest/after-commit.ts';
import { prepareMail } from '#core/ingest/prepare.ts';
import type { DomainEvent } from '#core/ports.ts';
import { bounceMail, composeMail } from '../../support/mail.ts';
import { MemoryDirectory, MemoryEvents, MemoryThreadStore } from '../ingest-fakes.ts';

const WS = 'WS1';
const AT = '2026-11-23T10:00:00.000Z';
const prepare = async (raw: Buffer | Promise<Buffer>) =>
  prepareMail({ sesMessageId: 's1', rawKey: 'inbound/s1', recipients: [] }, await raw, AT, 1 << 20);
const ports = () => ({ threads: new MemoryThreadStore(), directory: new MemoryDirectory() });

describe('afterCommit', () => {
  it('re-writes the keywords of a repeat delivery, never those of inert mail', async () => {
    const p = await prepare(composeMail({ from: 'ann@client.example', to: 'x', subject: 'Refund' }));
    const deps = ports();
    await afterCommit(deps, WS, 'T1', p, { keywords: true, inert: true, contact: null });
    expect(deps.threads.keywords.size).toBe(0);
    await afterCommit(deps, WS, 'T1', p, { keywords: true, inert: false, contact: null });
    expect([...(deps.threads.keywords.get(`${WS}|T1`) ?? [])]).toEqual(p.keywords);
  });

  it('marks an address failing only for a bounce of mail this workspace sent to it', async () => {
    const deps = ports();
    deps.threads.messageIds.set(`${WS}|sent@acme.example`, {
      messageId: 'sent@acme.example',
      threadId: 'T1',
      itemId: 'I1',
      direction: 'outbound',
      sentTo: ['bob@client.example'],
    });
    const bounce = (failedRecipient: string) =>
      prepare(bounceMail({ to: 'support@acme.example', failedRecipient, inReplyTo: '<sent@acme.example>' }));
    await afterCommit(deps, WS, 'T2', await bounce('eve@client.example'), {
      keywords: false,
      inert: true,
      contact: null,
    });
    expect(deps.directory.failing).toEqual([]);
    await afterCommit(deps, WS, 'T2', await bounce('bob@client.example'), {
      keywords: false,
      inert: true,
      contact: null,
    });
    expect(deps.directory.failing).toEqual([
      { ws: WS, email: 'bob@client.example', reason: expect.stringMatching(/^bounce 5\.1\.1: /) },
    ]);
  });

  it('clears `failing` when real mail comes from the address, not when the mail is inert', async () => {
    const deps = ports();
    deps.directory.failing = [{ ws: WS, email: 'ann@client.example', reason: 'bounce' }];
    const p = await prepare(composeMail({ from: 'ann@client.example', to: 'x' }));
    const contact = { contact: { contactId: 'K1', failing: { since: AT, reason: 'bounce' } } };
    await afterCommit(deps, WS, 'T1', p, { keywords: false, inert: true, contact });
    expect(deps.directory.failing).toHaveLength(1);
    await afterCommit(deps, WS, 'T1', p, { keywords: false, inert: false, contact });
    expect(deps.directory.failing).toEqual([]);
  });
});

describe('publishEvents', () => {
  const event: DomainEvent = { type: 'message.received', workspaceId: WS, threadId: 'T1', at: AT, detail: {} };

  it('publishes, and turns a failure into a warning (the mail is committed: a retry would be a duplicate)', async () => {
    const events = new MemoryEvents();
    const warnings: string[] = [];
    await publishEvents(events, warnings, [event]);
    expect(events.events).toEqual([event]);
    await publishEvents({ publish: async () => Promise.reject(new Error('bus down')) }, warnings, [event]);
    expect(warnings).toEqual(['domain events not published: bus down']);
    await publishEvents(undefined, warnings, [event]);
    expect(warnings).toHaveLength(1);
  });
});
