/**
 * Message templates: mustache bodies with the product's variables. Agents' messages and reminder mails
 * render through `renderTemplate`, so both accept the same variables.
 *
 * Escaping: a plain-text mail must show `&` and `<` as typed, so text renders verbatim; an HTML body
 * HTML-escapes every `{{variable}}` (a contact named `<script>` stays text). `{{{x}}}` is never needed.
 */
import Mustache from 'mustache';
import { ValidationError } from './errors.ts';

/** The variables a template may use. Unknown ones render empty, as in mustache. */
export interface TemplateVars {
  /** The contact's name, or their address when no name is known. */
  contactName?: string;
  contactEmail?: string;
  /** The thread's short reference, as in the subject tag `[#<ref>]`. */
  threadRef?: string;
  subject?: string;
  agentName?: string;
  workspaceName?: string;
  /** The display name of the mailbox the mail goes out from (signatures). */
  mailboxName?: string;
  /** Reminder mails: 1 for the first reminder, 2 for the second… */
  reminderNumber?: number;
  [name: string]: string | number | undefined;
}

export type TemplateFormat = 'text' | 'html';

const verbatim = (value: unknown) => String(value);

/** Checks that a template parses (unbalanced sections are a 400, not a failed send later). */
export function validateTemplate(template: string): void {
  try {
    Mustache.parse(template);
  } catch (e) {
    throw new ValidationError(`invalid template: ${(e as Error).message}`);
  }
}

/** Renders `template` with `vars`: verbatim for text mail, HTML-escaped for `format: 'html'`. */
export function renderTemplate(template: string, vars: TemplateVars, format: TemplateFormat = 'text'): string {
  validateTemplate(template);
  // Partials are refused (an empty map): a template cannot pull in another workspace's text.
  return Mustache.render(template, vars, {}, format === 'html' ? { escape: Mustache.escape } : { escape: verbatim });
}

/** The built-in reminder, used when the policy names no template. */
export const DEFAULT_REMINDER_TEMPLATE = {
  subject: '{{subject}}',
  body: [
    'Hello {{contactName}},',
    '',
    'We are still waiting for your reply about "{{subject}}" (ref. {{threadRef}}).',
    'Just reply to this email when you are ready, and we will pick it up from there.',
    '',
    'Kind regards,',
    '{{#agentName}}{{agentName}}{{/agentName}}{{^agentName}}The support team{{/agentName}}',
  ].join('\n'),
} as const;
