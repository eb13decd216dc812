/**
 * The pure parts of outbound mail: the From name, mailbox addresses, the text and HTML parts (escaping,
 * signature, quote) and the mailbox keys. The whole MIME, parsed back, is test/integration/outbound-mail.
 */
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { fallbackMailbox, fromName, type Mailbox, mailboxAddressOf, mailboxIdOf } from '#core/mailboxes.ts';
import { renderSignatures } from '#core/outbound-message.ts';
import { buildMime, htmlPart, quoteIntro, textPart, textToHtml } from '#core/outbound-mime.ts';
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

describe('the mailbox of a thread that names none', () => {
  const box = (address: string, createdAt: string): Mailbox => ({
    mailboxId: mailboxIdOf(address),
    address,
    fromFormat: 'agentFromMailbox',
    createdAt,
  });
  // support@ came with the workspace; billing@ and accounts@ were added later (and sort before it).
  const mailboxes = [
    box('accounts@acme.example', '2026-03-01T00:00:00.000Z'),
    box('billing@acme.example', '2026-02-01T00:00:00.000Z'),
    box('support@acme.example', '2026-01-01T00:00:00.000Z'),
  ];

  it('is the mailbox the customer wrote to: To before Cc, +tags and case ignored, strangers skipped', () => {
    expect(fallbackMailbox(mailboxes, ['Billing+ref@Acme.example'])?.address).toBe('billing@acme.example');
    expect(
      fallbackMailbox(mailboxes, ['someone@else.example', 'accounts@acme.example', 'billing@acme.example'])?.address,
    ).toBe('accounts@acme.example');
  });

  it("else the workspace's default: its oldest mailbox, never the first in address order", () => {
    expect(fallbackMailbox(mailboxes)?.address).toBe('support@acme.example');
    expect(fallbackMailbox(mailboxes, ['someone@else.example'])?.address).toBe('support@acme.example');
    const tie = [
      box('zed@acme.example', '2026-01-01T00:00:00.000Z'),
      box('ann@acme.example', '2026-01-01T00:00:00.000Z'),
    ];
    expect(fallbackMailbox(tie)?.address).toBe('ann@acme.example');
    expect(fallbackMailbox([], ['billing@acme.example'])).toBeUndefined();
  });
});

describe('a pasted image in the MIME', () => {
  it("arrives as an inline part in multipart/related, named by the composer's HTML as cid:", async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const cid = '7f9c2d1e-4b6a-4f3e-9a8b-1c2d3e4f5a6b@inline';
    // What the Inbox's editor (TipTap) writes for a pasted image, as the draft keeps it.
    const html = `<p>See the screen:</p><p><img src="cid:${cid}" alt="shot.png"></p>`;
    const { raw } = await buildMime({
      from: { name: 'Ana from Acme Billing', address: 'billing@acme.example' },
      replyTo: 'billing+tok@acme.example',
      to: ['ann@customer.example'],
      cc: [],
      subject: 'Re: My invoice [#A1]',
      text: 'See the screen:',
      html,
      signatures: [],
      messageId: '<m1.t1@acme.example>',
      date: new Date('2026-12-06T02:00:00Z'),
      attachments: [
        { filename: 'shot.png', contentType: 'image/png', content: png, contentId: cid },
        { filename: 'terms.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n') },
      ],
    });
    const mime = raw.toString('utf8');
    expect(mime).toMatch(/Content-Type: multipart\/related/i);
    const parsed = await PostalMime.parse(raw);
    const inline = parsed.attachments.find((a) => a.filename === 'shot.png');
    expect(inline).toMatchObject({ mimeType: 'image/png', disposition: 'inline', contentId: `<${cid}>` });
    expect(Buffer.from(inline?.content as ArrayBuffer).equals(png)).toBe(true);
    expect(parsed.html).toContain(`<img src="cid:${cid}" alt="shot.png" />`);
    // The attachment is not inline, and is not named by the HTML.
    expect(parsed.attachments.find((a) => a.filename === 'terms.pdf')).toMatchObject({ disposition: 'attachment' });
    expect(parsed.text).toContain('See the screen:');
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
