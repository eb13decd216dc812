/**
 * The API's request schemas are zod/mini (docs/performance.md): these pin the details of a 400, which
 * must read as they did with the classic API (its English messages, paths and coercions).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '#api/http.ts';
import { chatMessageBody } from '#api/routes/chat.ts';
import { listThreadsQuery, postMessageBody, startThreadBody } from '#api/schemas.ts';
import { ValidationError } from '#core/errors.ts';

function details(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('validation details of the API', () => {
  it('name the field and say what is wrong, in English', () => {
    expect(details(() => parse(listThreadsQuery, { limit: '0', unread: 'yes', extra: '1' }, 'query'))).toEqual([
      { path: 'query.unread', message: 'Invalid option: expected one of "true"|"false"' },
      { path: 'query.limit', message: 'Too small: expected number to be >=1' },
      { path: 'query', message: 'Unrecognized key: "extra"' },
    ]);
    expect(
      details(() =>
        parse(startThreadBody, { customerIds: [], to: ['nope'], subject: ' ', text: 'x', templateId: 't' }, 'body'),
      ),
    ).toEqual([
      { path: 'body.to.0', message: 'Invalid email address' },
      { path: 'body.subject', message: 'Too small: expected string to have >=1 characters' },
      { path: 'body.customerIds', message: 'Too small: expected array to have >=1 items' },
      { path: 'body.text', message: 'give exactly one of text or templateId' },
    ]);
  });

  it('keep the routes’ own messages and refinements', () => {
    expect(details(() => parse(postMessageBody, { text: 'hi', templateId: 't1' }, 'body'))).toEqual([
      { path: 'body.text', message: 'give exactly one of text or templateId' },
    ]);
    expect(
      details(() => parse(chatMessageBody, { contact: {}, text: 'hi', clientMessageId: 'bad id' }, 'body')),
    ).toEqual([
      { path: 'body.contact', message: 'Invalid input' },
      { path: 'body.clientMessageId', message: 'must be 1-64 of [A-Za-z0-9_-]' },
    ]);
  });

  it('coerce, trim, lower-case, default and transform as before', () => {
    expect(
      parse(
        listThreadsQuery,
        { limit: '10', tag: ' VIP ', unread: 'true', updatedSince: '2026-11-30T11:00:00+01:00', q: ' hi ' },
        'query',
      ),
    ).toEqual({ limit: 10, tag: 'vip', unread: true, updatedSince: '2026-11-30T10:00:00.000Z', q: 'hi' });
    expect(
      parse(chatMessageBody, { contact: { email: ' a@b.co ' }, text: 'hi', clientMessageId: 'c1' }, 'body'),
    ).toEqual({
      contact: { email: 'a@b.co' },
      text: 'hi',
      clientMessageId: 'c1',
      channel: 'chat',
    });
  });
});
