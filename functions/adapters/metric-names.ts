/**
 * The names of Go!Chat's CloudWatch metrics, in a module of their own (no imports) so that the CDK
 * dashboard (lib/go-chat-dashboard.ts) and the Lambdas (observability.ts) share them.
 */

/** The CloudWatch namespace of every Go!Chat metric. */
export const METRICS_NAMESPACE = 'GoChat';

export const METRIC = {
  /** A message stored by ingest; dimensions `outcome` (created, appended) and `classification`. */
  mailIngested: 'MailIngested',
  /** The same mail delivered again (an SES retry, or one mail to several addresses). */
  duplicates: 'DuplicateMail',
  /** Mail for no known inbound address, kept as unroutable. */
  unroutable: 'UnroutableMail',
  remindersSent: 'RemindersSent',
  /** A reminder not sent because the policy or the thread said so (automated mail, a cap, …). */
  remindersSkipped: 'RemindersSkipped',
  /** An outbound send that SES refused or that failed on the way (agents' messages and reminders). */
  sendsFailed: 'SendsFailed',
} as const;
