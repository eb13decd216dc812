/**
 * The SES receipt-rule Lambda event → the ingest use case's input. The event carries no body: the S3
 * action stored the raw MIME under `<prefix><messageId>` before the Lambda action ran.
 */
import type { SESEvent } from 'aws-lambda';
import { ValidationError } from '#core/errors.ts';
import type { InboundMail } from '#core/ingest.ts';

/** The S3 action's object key prefix (the stack configures the same one). */
export const DEFAULT_INBOUND_PREFIX = 'inbound/';

/** One InboundMail per record; a record without a message id or recipients is a ValidationError. */
export function inboundMailsFromSesEvent(event: SESEvent, prefix = DEFAULT_INBOUND_PREFIX): InboundMail[] {
  if (!event || !Array.isArray(event.Records)) throw new ValidationError('not an SES receipt event: no Records');
  return event.Records.map((record, index) => {
    const mail = record?.ses?.mail;
    const receipt = record?.ses?.receipt;
    if (!mail?.messageId || !receipt) throw new ValidationError(`SES record ${index} has no mail or receipt`);
    if (!/^[A-Za-z0-9._-]+$/.test(mail.messageId))
      throw new ValidationError(`SES record ${index} has an unexpected message id`);
    const recipients = Array.isArray(receipt.recipients) ? receipt.recipients.map(String) : [];
    return {
      sesMessageId: mail.messageId,
      rawKey: `${prefix}${mail.messageId}`,
      recipients,
      ...(receipt.timestamp || mail.timestamp ? { receivedAt: receipt.timestamp ?? mail.timestamp } : {}),
      ...(mail.source ? { source: mail.source } : {}),
      verdicts: {
        spam: receipt.spamVerdict?.status,
        virus: receipt.virusVerdict?.status,
        spf: receipt.spfVerdict?.status,
        dkim: receipt.dkimVerdict?.status,
        dmarc: receipt.dmarcVerdict?.status,
      },
    };
  });
}
