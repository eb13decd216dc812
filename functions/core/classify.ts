/**
 * Classification of inbound mail: a customer's ordinary mail, or automated mail (auto-reply,
 * bounce, complaint) that is stored in the feed but never changes a thread's status and never
 * gets a reply. The one file where these rules live.
 *
 * Order matters: complaints and bounces are checked before the auto-reply headers, because
 * many DSNs also carry `Auto-Submitted: auto-replied`.
 *
 * Delivery-success reports (a DSN whose every recipient is `delivered`/`relayed`/`expanded`,
 * or an SES "Delivery" notification) are classified `auto_reply`: they are automated and
 * harmless, must not reopen a thread, and must not mark the address as failing.
 */

import type { ParsedMail } from './mime.ts';
import type { MessageClassification } from './model.ts';

export interface BounceRecipient {
  address: string;
  /** RFC 3463 enhanced status code (e.g. `5.1.1`) when one was found. */
  status?: string;
  /** DSN Action (`failed`, `delayed`, …) when given. */
  action?: string;
  /** True when delivery failed permanently (5.x.x or `failed`); a delay is never hard. */
  hard: boolean;
}

export interface Classification {
  classification: MessageClassification;
  /** Which rule decided, for the feed and for debugging (e.g. `auto-submitted: auto-replied`). */
  reason: string;
  /** Set for bounces: the recipients that failed, as far as they could be read. */
  bounce?: { recipients: BounceRecipient[] };
}

/** Classify a parsed inbound mail. Pure and total: never throws. */
export function classifyMail(mail: ParsedMail): Classification {
  try {
    return classify(mail);
  } catch (err) {
    // A classifier bug must not lose the mail: treat it as ordinary so an agent sees it.
    return { classification: 'ordinary', reason: `classifier error: ${(err as Error).message}` };
  }
}

function classify(mail: ParsedMail): Classification {
  const subject = oneLine(mail.subject);
  const from = mail.from?.address?.toLowerCase() ?? header(mail, 'from')[0]?.toLowerCase() ?? '';
  const fromName = mail.from?.name ?? '';
  const reportType = mail.contentType === 'multipart/report' ? (mail.contentTypeParams['report-type'] ?? '') : '';

  // 1. Complaints: ARF (RFC 5965) feedback reports, and SES complaint notifications.
  if (reportType.toLowerCase() === 'feedback-report' || hasReport(mail, 'message/feedback-report')) {
    return { classification: 'complaint', reason: 'feedback report (ARF)' };
  }
  // Apple Mail's one-click unsubscribe is an opt-out feedback report in all but name.
  if (/^true$/i.test(header(mail, 'x-apple-unsubscribe')[0] ?? '')) {
    return { classification: 'complaint', reason: 'opt-out request (X-Apple-Unsubscribe)' };
  }
  const ses = sesNotification(mail);
  if (ses?.type === 'complaint') return { classification: 'complaint', reason: 'SES complaint notification' };
  if (ses?.type === 'delivery') return { classification: 'auto_reply', reason: 'SES delivery notification' };
  if (ses?.type === 'bounce') {
    return { classification: 'bounce', reason: 'SES bounce notification', bounce: { recipients: ses.recipients } };
  }

  // 2. Standard DSNs (RFC 3464): the per-recipient Action decides bounce vs delivery report.
  const dsn = mail.reportParts
    .filter((p) => /delivery-status$/.test(p.contentType))
    .flatMap((p) => parseDeliveryStatus(p.body));
  if (dsn.length > 0 || /delivery-status/i.test(reportType)) {
    const failures = dsn.filter((r) => !isSuccessAction(r.action, r.status));
    if (dsn.length > 0 && failures.length === 0) {
      return { classification: 'auto_reply', reason: 'delivery status notification (delivered)' };
    }
    const recipients = failures.length > 0 ? failures : textRecipients(mail);
    return { classification: 'bounce', reason: 'delivery status notification', bounce: { recipients } };
  }

  // 3. Non-standard bounces: who sent it and what it is called.
  const daemonSender = DAEMON_SENDER.test(from) || DAEMON_NAME.test(fromName);
  const bounceSubject = BOUNCE_SUBJECTS.some((re) => re.test(subject));
  const failedHeader = header(mail, 'x-failed-recipients');
  // fml mailing-list servers return refused posts as their own notices.
  const listRefusal = header(mail, 'x-mlserver').length > 0 && /\bnot (a )?member\b|^loop alert/i.test(subject);
  if (daemonSender || bounceSubject || failedHeader.length > 0 || listRefusal) {
    const why = daemonSender
      ? `sender ${from || fromName}`
      : bounceSubject
        ? `subject "${subject}"`
        : listRefusal
          ? 'mailing-list refusal'
          : 'X-Failed-Recipients';
    return { classification: 'bounce', reason: `bounce: ${why}`, bounce: { recipients: textRecipients(mail) } };
  }

  // 4. Auto-replies, by the headers that RFC 3834 and the common mail systems set.
  const autoSubmitted = header(mail, 'auto-submitted')[0]?.toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) {
    return { classification: 'auto_reply', reason: `auto-submitted: ${autoSubmitted}` };
  }
  const precedence = header(mail, 'precedence')[0]?.toLowerCase().trim();
  // `list` is deliberately not here: a person writing through a mailing list is still a person.
  if (precedence && /^(bulk|junk|auto_reply)\b/.test(precedence)) {
    return { classification: 'auto_reply', reason: `precedence: ${precedence}` };
  }
  // `X-Auto-Response-Suppress` is deliberately not here: it asks others *not* to auto-reply, and many
  // mailers (Outlook, Exchange) set it on mail that a person wrote.
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autogenerated']) {
    const value = header(mail, name)[0];
    if (value !== undefined && !/^(no|false|none)$/i.test(value.trim())) {
      return { classification: 'auto_reply', reason: `${name}: ${value}` };
    }
  }
  if (
    header(mail, 'x-ms-exchange-generated-message-source').length > 0 ||
    /^vacation\b/i.test(header(mail, 'x-mailer')[0] ?? '')
  ) {
    return { classification: 'auto_reply', reason: 'generated by an auto-responder' };
  }
  if (AUTO_REPLY_SUBJECTS.some((re) => re.test(subject))) {
    return { classification: 'auto_reply', reason: `out-of-office subject "${subject}"` };
  }

  // 5. Bounces with neither a telling sender nor a telling subject: the wording of the notice,
  // but only at the top of the text, so that a customer quoting a bounce further down stays ordinary.
  const head = mail.text.slice(0, 2000);
  const bodyPattern = BOUNCE_BODIES.find((re) => re.test(head));
  if (bodyPattern) {
    return { classification: 'bounce', reason: 'bounce: notice wording', bounce: { recipients: textRecipients(mail) } };
  }

  return { classification: 'ordinary', reason: 'no automated-mail signal' };
}

// --- signals -------------------------------------------------------------------------------

const DAEMON_SENDER =
  /^(mailer[-_]?daemon|post[-_]?master|mail[-_]?daemon|mailerdaemon|mmdf|smtp[-_]?gateway|bounces?|mail\.?delivery[-_.]?(system|subsystem)?|maildelivery|non[-_]?delivery|ndr|internet[-_]?mail[-_]?delivery|dsn)([+=@]|$)/;
const DAEMON_NAME =
  /^(mail delivery (system|subsystem|service)|mailer[-_ ]?daemon|postmaster|internet mail delivery)\b/i;

/** Subjects of bounce notices from the common MTAs and providers (after decoding). */
const BOUNCE_SUBJECTS: RegExp[] = [
  /^(fwd?:\s*)?undeliver(ed|able)\b/i,
  /^undelivered mail returned to sender/i,
  /delivery status notification/i,
  /^(mail )?delivery (status|report|notification|failure|failed|problem|has failed)/i,
  /^(mail )?delivery (status notification|status report)/i,
  /^mail delivery (failed|failure|system|subsystem|status)/i,
  /mail delivery failed/i,
  /^failure notice/i,
  /^(fwd?:\s*)?returned mail\b/i,
  /^postmaster notify/i,
  /^mail system error/i,
  /^non[- ]?(delivery|remis|recapitabile)/i,
  /^(message|mail) (could not|couldn't|cannot) be delivered/i,
  /^(sorry, )?your message (could not|couldn't|was not) be delivered/i,
  /^message delivery (has )?failed/i,
  /^(permanent )?delivery failure/i,
  /^(failed|failure) delivery/i,
  /^delivery failure/i,
  /^warning: (message .* delayed|could not send message)/i,
  /^delayed mail/i,
  /^notice: mail delivery status/i,
  /^mail failure\b/i,
  /^there was an error sending your mail/i,
  /^email bounce notification/i,
  /^bounced? (mail|message|email)/i,
  /message you sent blocked by/i,
  /^considered unsolicited bulk email/i,
  /^(nicht zustellbar|unzustellbar|non distribuable|no se puede entregar|onbestelbaar|niet bezorgd)/i,
  /не доставлено|недоставленное сообщение|не может быть доставлено/i,
  /メール(配信)?エラー|配信不能|エラーメール|未配達/,
  /退信|退回|无法投递|無法投遞/,
];

/** Out-of-office and auto-reply subjects, in several languages. */
const AUTO_REPLY_SUBJECTS: RegExp[] = [
  /^(automatic|auto)[- ]?(reply|response|answer)\b/i,
  /^autoreply\b/i,
  /^autoresponse\b/i,
  /^auto ?respon[sd]/i,
  /\bout of (the )?office\b/i,
  /^away( from (the )?office)?( until| till|:|\b)/i,
  /^on (vacation|holiday|leave)\b/i,
  /^vacation (reply|message|notice)/i,
  /^(abwesenheitsnotiz|automatische antwort|abwesend|nicht im büro)/i,
  /^(réponse automatique|absence du bureau|absent du bureau|message d'absence)/i,
  /^(respuesta automática|fuera de la oficina|ausente)/i,
  /^(risposta automatica|fuori ufficio|assente)/i,
  /^(resposta automática|fora do escritório|ausência)/i,
  /^(automatisch antwoord|afwezig|niet aanwezig)/i,
  /^(automatiskt svar|frånvaro|autosvar|automatisk svar|fravær)/i,
  /^(automatyczna odpowiedź|nieobecność)/i,
  /^(автоматический ответ|автоответ|нет на месте)/i,
  /^(自動応答|自動返信|不在通知|自动回复|自動回覆)/,
];

/** The opening words of bounce notices that come without a telling sender or subject. */
const BOUNCE_BODIES: RegExp[] = [
  /this is the mail system at host/i,
  /i'?m sorry to (have to )?inform you that (the|your) message/i,
  /(message|mail) (could not|couldn't|cannot|was not|wasn't) (be )?delivered to (one or more|the following|all)/i,
  /delivery to the following recipients? (failed|has failed|was unsuccessful)/i,
  /the following (addresses|recipients?) (had|has) (permanent )?(fatal )?errors/i,
  /this message was created automatically by mail delivery software/i,
  /a message that you sent could not be delivered/i,
  /your message (did not reach|wasn't delivered to|was not delivered to|could not be delivered)/i,
  /unable to deliver (your|the) message/i,
  /delivery has failed to these recipients/i,
  /^\s*could not be delivered to:/im,
];

function isSuccessAction(action?: string, status?: string): boolean {
  // `deliverable` is not in RFC 3464, but some MTAs write it for a successful delivery.
  if (action) return /^(delivered|deliverable|relayed|expanded)$/i.test(action);
  return status?.startsWith('2.') ?? false;
}

// --- extraction ----------------------------------------------------------------------------

const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const ADDRESS = /<?([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>?/g;

/** Per-recipient fields of an RFC 3464 `message/delivery-status` body. */
export function parseDeliveryStatus(body: string): BounceRecipient[] {
  const recipients: BounceRecipient[] = [];
  const unfolded = body.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const block of unfolded.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const match = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
      if (match && !fields.has(match[1].toLowerCase())) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (!recipient) continue;
    const address = recipient
      .replace(/^[^;]*;\s*/, '')
      .replace(/[<>]/g, '')
      .trim();
    const action = fields.get('action')?.toLowerCase().split(/\s/)[0];
    const status = (STATUS.exec(fields.get('status') ?? '') ?? STATUS.exec(fields.get('diagnostic-code') ?? ''))?.[0];
    recipients.push({
      address,
      ...(status ? { status } : {}),
      ...(action ? { action } : {}),
      hard: action === 'failed' ? !status?.startsWith('4.') : status?.startsWith('5.') === true,
    });
  }
  return recipients;
}

/**
 * Failed recipients of a non-standard bounce: X-Failed-Recipients, else addresses on lines of the
 * notice (before the returned message), with the nearest status code. Own addresses are left out.
 */
function textRecipients(mail: ParsedMail): BounceRecipient[] {
  const own = new Set(
    [mail.from?.address, ...mail.to.map((a) => a.address)].filter(Boolean).map((a) => a!.toLowerCase()),
  );
  const found = new Map<string, BounceRecipient>();
  const add = (address: string, context: string) => {
    const key = address.toLowerCase();
    if (own.has(key) || found.has(key) || /^(mailer-daemon|postmaster)@/i.test(key)) return;
    const status = STATUS.exec(context)?.[0];
    const hard = status ? status.startsWith('5.') : !/delay|retry|temporar|deferred/i.test(context);
    found.set(key, { address, ...(status ? { status } : {}), hard });
  };
  for (const value of header(mail, 'x-failed-recipients')) {
    for (const m of value.matchAll(ADDRESS)) add(m[1], mail.text.slice(0, 4000));
  }
  if (found.size > 0) return [...found.values()];
  // The notice ends where the returned message starts; addresses below it are the sender's own.
  const notice = mail.text.split(
    /^(-+ ?(original message|this is a copy of the message|the original message|returned message|below this line)|content-type: message\/rfc822|received: )/im,
  )[0];
  const lines = notice.slice(0, 8000).split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(ADDRESS)) add(m[1], lines.slice(i, i + 4).join(' '));
  });
  return [...found.values()].slice(0, 20);
}

interface SesNotification {
  type: 'bounce' | 'complaint' | 'delivery';
  recipients: BounceRecipient[];
}

/** SES/SNS JSON notifications delivered by mail (the SNS email subscription). */
function sesNotification(mail: ParsedMail): SesNotification | undefined {
  const from = mail.from?.address?.toLowerCase() ?? '';
  // Only mail from SES or SNS is read as a notification: a customer may well paste one into a message.
  if (!/[@.](amazonaws\.com|amazonses\.com)$/.test(from)) return undefined;
  const start = mail.text.indexOf('{');
  if (start < 0) return undefined;
  const json = mail.text.slice(start, mail.text.lastIndexOf('}') + 1);
  // Mail transport may have wrapped long JSON lines: try as is, then with the wraps undone.
  let payload: any = parseJson(json) ?? parseJson(json.replace(/\r?\n /g, ''));
  // An SNS envelope carries the SES notification as a JSON string in `Message`.
  if (typeof payload?.Message === 'string') payload = parseJson(payload.Message);
  // Still unreadable: the type alone still tells.
  payload ??= { notificationType: /\\?"(?:notificationType|eventType)\\?"\s*:\s*\\?"(\w+)/.exec(mail.text)?.[1] };
  const type = String(payload?.notificationType ?? payload?.eventType ?? '').toLowerCase();
  if (type === 'complaint') return { type, recipients: [] };
  if (type === 'delivery') return { type, recipients: [] };
  if (type !== 'bounce') return undefined;
  const permanent = payload?.bounce?.bounceType === 'Permanent';
  const recipients: BounceRecipient[] = (payload?.bounce?.bouncedRecipients ?? []).map((r: any) => ({
    address: String(r.emailAddress ?? ''),
    ...(r.status ? { status: String(r.status) } : {}),
    ...(r.action ? { action: String(r.action) } : {}),
    hard: permanent,
  }));
  return { type, recipients };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// --- helpers -------------------------------------------------------------------------------

function header(mail: ParsedMail, name: string): string[] {
  return mail.headers[name] ?? [];
}

function hasReport(mail: ParsedMail, contentType: string): boolean {
  return mail.reportParts.some((p) => p.contentType === contentType);
}

function oneLine(text: string): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
