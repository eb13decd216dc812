/**
 * The pure parts of outbound mail: the From name, mailbox addresses, the text and HTML parts (escaping,
 * signature, quote) and the mailbox keys. The whole MIME, parsed back, is test/integration/outbound-mail.
 */
import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { fromName, mailboxAddressOf, mailboxIdOf } from '#core/mailboxes.ts';
import { renderSignatures } from '#core/outbound-message.ts';
import { htmlPart, quoteIntro, textPart, textToHtml } from '#core/outbound-mime.ts';
import { extractReplyText } from '#core/reply-text.ts';

describe('the From name of a mailbox', () => {
  const billing = { displayName: 'Acme Billing', fromFormat: 'agentFromMailbox' as const };
  it('says who answers: "<agent> from <mailbox>" by default, the mailbox alone when the format says so', () => {
    expect(fromName(billing, 'Ana')).toBe('Ana from Acme Billing');
    expect(fromName({ ...billing, fromFormat: 'mailbox' }, 'Ana')).toBe('Acme Billing');
    // No agent (a key, a reminder): the mailbox's name; no mailbox name: the agent's, or none.
    expect(fromName(billing)).toBe('Acme Billing');
    expect(fromName({ fromFormat: 'agentFromMailbox' }, 'Ana')).toBe('Ana');
    expect(fromName({ fromFormat: 'agentFromMailbox' })).toBeUndefined();
  });

  it('keeps a mailbox to its base address and a stable, path-safe id', () => {
    expect(mailboxAddressOf(' Billing+AbC.123@Acme.Example ')).toBe('billing@acme.example');
    expect(mailboxIdOf('Billing@Acme.example')).toBe(mailboxIdOf('billing@acme.example'));
    expect(mailboxIdOf('billing@acme.example')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(mailboxIdOf('billing@acme.example')).not.toBe(mailboxIdOf('support@acme.example'));
  });
});

describe('the parts of an outbound mail', () => {
  const quote = { at: '2026-12-05T09:30:00.000Z', name: 'Ann Customer', text: 'My invoice is wrong.\n\nPlease fix.' };

  it('escapes what an agent typed in the HTML part, and keeps paragraphs and line breaks', () => {
    expect(textToHtml('a <b>&</b> "q"\nnext\n\nsecond')).toBe(
      '<p style="margin:0 0 16px 0;">a &lt;b&gt;&amp;&lt;/b&gt; &quot;q&quot;<br>next</p>\n<p style="margin:0 0 16px 0;">second</p>',
    );
  });

  it('puts the signature after "-- " and the quote under "On <date>, <name> wrote:" in the text part', () => {
    expect(textPart({ text: 'Fixed.\n', signatures: ['Acme', 'Ana'], quote })).toBe(
      'Fixed.\n\n-- \nAcme\n\nAna\n\nOn Sat, 05 Dec 2026 09:30:00 UTC, Ann Customer wrote:\n> My invoice is wrong.\n>\n> Please fix.\n',
    );
    expect(textPart({ text: 'Fixed.', signatures: [] })).toBe('Fixed.\n');
  });

  it('our own quote and signature are cut by our reply parser when the customer answers above them', () => {
    const sent = textPart({ text: 'Fixed.', signatures: ['Acme support'], quote });
    const reply = `Thanks, all good now.\n\n${quoteIntro({ at: '2026-12-05T10:00:00Z', name: 'Acme' })}\n${sent
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n')}`;
    expect(extractReplyText({ text: reply })).toBe('Thanks, all good now.');
  });

  it('lays the HTML part out as one accessible column, with a language, a title and the subject named', () => {
    const html = htmlPart({ subject: 'Re: <Invoice> [#7]', body: '<p>Fixed.</p>', signatures: ['Acme & Co'], quote });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Re: &lt;Invoice&gt; [#7]</title>');
    expect(html).toContain('role="article" aria-label="Re: &lt;Invoice&gt; [#7]"');
    expect(html).toContain('Acme &amp; Co');
    expect(html).toContain('On Sat, 05 Dec 2026 09:30:00 UTC, Ann Customer wrote:');
    expect(html.indexOf('Fixed.')).toBeLessThan(html.indexOf('Acme &amp; Co'));
    expect(html.indexOf('Acme &amp; Co')).toBeLessThan(html.indexOf('wrote:'));
  });

  it('renders the signature layers outermost first with the templates\u2019 variables, skipping empty ones', () => {
    const identity = {
      address: 'billing@acme.example',
      displayName: 'Acme Billing',
      fromFormat: 'agentFromMailbox' as const,
      signatures: { workspace: '{{workspaceName}}', mailbox: '  ', agent: '{{agentName}} ({{mailboxName}})' },
    };
    expect(
      renderSignatures(identity, { workspaceName: 'Acme', agentName: 'Ana', mailboxName: 'Acme Billing' }),
    ).toEqual(['Acme', 'Ana (Acme Billing)']);
  });
});

describe('mailbox and signature keys', () => {
  it('a mailbox is its address item in the workspace partition; signatures stay out of the agents listing', () => {
    expect(keys.mailbox('W1', 'Billing@Acme.example')).toEqual(keys.workspaceAddress('W1', 'billing@acme.example'));
    expect(keys.mailbox('W1', 'b@x.example').SK.startsWith(keys.mailboxPrefix())).toBe(true);
    expect(keys.workspaceSignature('W1')).toEqual({ PK: keys.workspacePartition('W1'), SK: 'SIG#WORKSPACE' });
    expect(keys.agentSignature('W1', 'ana-1').SK).toBe('SIG#AGENT#ana-1');
    expect(keys.agentSignature('W1', 'ana-1').SK.startsWith(keys.agentPrefix())).toBe(false);
  });
});
