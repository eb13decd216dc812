import { describe, expect, it } from 'vitest';
import { extractReplyText } from '#core/reply-text.ts';

describe('extractReplyText rules', () => {
  it('cuts an Outlook header block in German', () => {
    const text =
      'Danke, passt.\n\nVon: Support <support@example.org>\nGesendet: Montag, 3. Juni 2024 10:00\nAn: Ana\nBetreff: Ihre Anfrage\n\nHallo Ana';
    expect(extractReplyText({ text })).toBe('Danke, passt.');
  });

  it('cuts an attribution wrapped over two lines', () => {
    const text =
      'Yes please.\n\nOn Mon, 3 Jun 2024 at 10:00, Go!Chat Support <support@example.org>\nwrote:\n> Shall we?';
    expect(extractReplyText({ text })).toBe('Yes please.');
  });

  it('keeps a sentence that only ends in "wrote:"', () => {
    expect(extractReplyText({ text: 'This is what my colleague wrote:\nthe report is late.' })).toBe(
      'This is what my colleague wrote:\nthe report is late.',
    );
  });

  it('strips a short signature and a mobile sign-off but keeps a sentence starting "Sent from"', () => {
    expect(extractReplyText({ text: 'Fine.\n\n-- \nAna\nACME' })).toBe('Fine.');
    expect(extractReplyText({ text: 'Fine.\n\nSent from my iPhone' })).toBe('Fine.');
    expect(extractReplyText({ text: 'Fine.\n\nSent from the office, where it works.' })).toBe(
      'Fine.\n\nSent from the office, where it works.',
    );
  });

  it('uses the HTML when there is no text, dropping blockquotes', () => {
    const html =
      '<div>Works now, thanks!</div><div class="gmail_quote">On Mon, Jun 3, 2024 at 10:00 AM Support &lt;s@example.org&gt; wrote:<blockquote>Try again?</blockquote></div>';
    expect(extractReplyText({ html })).toBe('Works now, thanks!');
  });

  it('returns the whole text when everything is history (a bare forward)', () => {
    const text = '---------- Forwarded message ---------\nFrom: Bob <bob@example.net>\nDate: Mon\nSubject: Hi\n\nHello';
    expect(extractReplyText({ text })).toBe(text);
  });
});
