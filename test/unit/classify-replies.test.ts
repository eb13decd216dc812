/**
 * No human reply of the corpora may be classified as automated (issue 8: an automated classification
 * means the reply never reopens its thread and reminders go on). The reply-text corpora hold bodies
 * written by people in every common client and language: `.eml` files go through as they are, plain
 * text and HTML bodies are wrapped in an ordinary reply's headers.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { classifyMail } from '#core/classify.ts';
import { parseMail } from '#core/mime.ts';
import { corpusPath, describeCorpus, hasCorpus, listCorpusFiles } from '../support/corpora.ts';

const FOLDERS = [
  'email_reply_parser/test/emails',
  'email_reply_parser_py/test/emails',
  'willdurand/tests/Fixtures',
  'crisp/test/fixtures',
  'planer/inline',
  'talon/tests/fixtures',
];

/** Replies whose classification is still wrong, with the reason (none at the time of writing). */
const KNOWN_MISSES: Record<string, string> = {};

function asMail(file: string, body: Buffer): Buffer {
  if (file.endsWith('.eml')) return body;
  const html = file.endsWith('.html');
  const head = [
    'From: Ann Customer <ann@client.example>',
    'To: support@acme.example',
    'Subject: Re: Your question',
    'Message-ID: <reply-1@client.example>',
    'Date: Mon, 30 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: ${html ? 'text/html' : 'text/plain'}; charset=utf-8`,
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]);
}

const files = FOLDERS.flatMap((f) => listCorpusFiles(f)).filter((f) => /\.(eml|txt|html)$/.test(f));

describeCorpus('human replies of the corpora are never automated', 'email_reply_parser', () => {
  it('finds the reply corpora', () => {
    expect(FOLDERS.filter((f) => hasCorpus(f))).toEqual(FOLDERS);
    expect(files.length).toBeGreaterThan(150);
  });
  for (const file of files) {
    const miss = KNOWN_MISSES[file];
    (miss ? it.fails : it)(`${file} is ordinary${miss ? ` (known miss: ${miss})` : ''}`, async () => {
      const result = classifyMail(await parseMail(asMail(file, readFileSync(corpusPath(file)))));
      expect(result.classification, result.reason).toBe('ordinary');
    });
  }
});
