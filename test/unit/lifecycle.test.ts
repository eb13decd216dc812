import { describe, expect, it } from 'vitest';
import { ValidationError } from '#core/errors.ts';
import {
  cycleSeconds,
  executionName,
  parseStatusPolicy,
  statusAfterAgentMessage,
  statusAfterReminder,
  statusAfterWaiting,
  timerFor,
} from '#core/lifecycle.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';
import { DEFAULT_REMINDER_TEMPLATE, renderTemplate } from '#core/templates.ts';

const DAY = 86_400;
const policy = DEFAULT_SETTINGS.policy;

describe('lifecycle policy', () => {
  it('default: reminder(1) and reminder(2) after 3 days each, then 3 days of waiting, then open: 9 days', () => {
    expect(statusAfterAgentMessage(policy)).toEqual({ status: 'reminder', reminderIndex: 1 });
    expect(timerFor(policy, { status: 'reminder', reminderIndex: 1 })).toEqual({
      delaySeconds: 3 * DAY,
      action: 'sendReminder',
    });
    expect(statusAfterReminder(policy, 1)).toEqual({ status: 'reminder', reminderIndex: 2 });
    expect(statusAfterReminder(policy, 2)).toEqual({ status: 'waiting' });
    expect(timerFor(policy, { status: 'waiting' })).toEqual({ delaySeconds: 3 * DAY, action: 'endWaiting' });
    expect(statusAfterWaiting(policy)).toEqual({ status: 'open' });
    expect(timerFor(policy, { status: 'open' })).toBeNull();
    expect(timerFor(policy, { status: 'closed' })).toBeNull();
    expect(cycleSeconds(policy)).toBe(9 * DAY);
  });

  it('the last reminder delay repeats; no reminders sends an agent message to waiting; close after waiting', () => {
    const p = { ...policy, reminders: 4, reminderDelaysSeconds: [DAY, 2 * DAY] };
    expect([1, 2, 3, 4].map((n) => timerFor(p, { status: 'reminder', reminderIndex: n })?.delaySeconds)).toEqual([
      DAY,
      2 * DAY,
      2 * DAY,
      2 * DAY,
    ]);
    const none = { ...policy, reminders: 0, reminderDelaysSeconds: [], afterWaiting: 'closed' as const };
    expect(statusAfterAgentMessage(none)).toEqual({ status: 'waiting' });
    expect(statusAfterWaiting(none)).toEqual({ status: 'closed' });
  });

  it('validates a policy with zod and reports a ValidationError with the issues', () => {
    expect(parseStatusPolicy({ ...policy })).toEqual(policy);
    for (const bad of [
      { ...policy, reminders: -1 },
      { ...policy, reminderDelaysSeconds: [] },
      { ...policy, waitingDelaySeconds: 0 },
      { ...policy, waitingDelaySeconds: 400 * DAY },
      { ...policy, afterWaiting: 'reminder' },
      { ...policy, extra: 1 },
    ]) {
      expect(() => parseStatusPolicy(bad)).toThrow(ValidationError);
    }
    try {
      parseStatusPolicy({ ...policy, reminders: 1.5 });
    } catch (e) {
      expect((e as ValidationError).details).toEqual([expect.objectContaining({ path: 'reminders' })]);
    }
  });

  it('names an execution after the thread and its statusVersion', () => {
    expect(executionName('01ABC', 7)).toBe('01ABC-v7');
  });
});

describe('templates', () => {
  const vars = { contactName: 'Ann & <Bob>', threadRef: '42', subject: 'Tax form', agentName: 'Zoé' };

  it('renders text verbatim and HTML escaped', () => {
    expect(renderTemplate('Hi {{contactName}}, re {{subject}} [#{{threadRef}}]', vars)).toBe(
      'Hi Ann & <Bob>, re Tax form [#42]',
    );
    expect(renderTemplate('<p>Hi {{contactName}}</p>', vars, 'html')).toBe('<p>Hi Ann &amp; &lt;Bob&gt;</p>');
    expect(renderTemplate('{{missing}}|{{> partial}}|', vars)).toBe('||');
  });

  it('refuses a broken template with a ValidationError', () => {
    expect(() => renderTemplate('{{#open}} never closed', vars)).toThrow(ValidationError);
  });

  it('has a built-in reminder', () => {
    const text = renderTemplate(DEFAULT_REMINDER_TEMPLATE.body, { ...vars, reminderNumber: 1 });
    expect(text).toContain('Hello Ann & <Bob>,');
    expect(text).toContain('"Tax form" (ref. 42)');
    expect(text).toContain('Zoé');
    expect(renderTemplate(DEFAULT_REMINDER_TEMPLATE.body, {})).toContain('The support team');
  });
});
