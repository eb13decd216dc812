/**
 * Mailboxes must be on the SES identity that sends: the functions may call ses:SendRawEmail only on the
 * mail domain's identity, and SES refuses a From outside a verified identity. A receipt recipient off
 * that domain (or its subdomains) would take mail in that no answer could go out from.
 */

/** The domain of a receipt recipient: an address (`billing@x.com`) or a domain (`x.com`). */
const domainOf = (recipient: string) => recipient.trim().toLowerCase().split('@').pop() ?? '';

/** The recipients whose domain is neither the mail domain nor one of its subdomains. */
export function offDomainRecipients(mailDomain: string, recipients: readonly string[]): string[] {
  const domain = mailDomain.trim().toLowerCase().replace(/\.$/, '');
  return recipients.filter((r) => {
    const d = domainOf(r).replace(/\.$/, '');
    return d !== domain && !d.endsWith(`.${domain}`);
  });
}
