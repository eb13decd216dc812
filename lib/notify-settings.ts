/**
 * Where notification mail comes from and what it links to (docs/deploy.md, "Notification mail").
 * - NOTIFY_FROM: a no-reply address SES may send from: on the verified mail domain (or a subdomain of it),
 *   since the functions may send only as that identity. Default: `Go!Chat <no-reply@<mail domain>>`.
 * - INBOX_URL: the Inbox's address, for the link to the thread: given, else the Inbox's CloudFront URL.
 */
import { Token } from 'aws-cdk-lib';

export class NotifySettingsError extends Error {
  override name = 'NotifySettingsError';
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The notification mail's From (`Name <address>` or a bare address), checked against the mail domain. */
export function notifyFromOf(mailDomain: string, given?: string): string {
  const domain = mailDomain.trim().toLowerCase().replace(/\.$/, '');
  if (given === undefined || given.trim() === '') return `Go!Chat <no-reply@${domain}>`;
  const m = /^\s*(?:(.*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))\s*$/.exec(given);
  if (!m) throw new NotifySettingsError(`notifyFrom must be an address or "Name <address>", got ${given}`);
  const address = m[2] ?? m[3];
  const at = domainOf(address);
  if (at !== domain && !at.endsWith(`.${domain}`))
    throw new NotifySettingsError(
      `notifyFrom ${address} is not on the mail domain ${domain}: SES would refuse it (the functions may send only as ${domain}). Use an address on ${domain}, e.g. no-reply@${domain}.`,
    );
  return given.trim();
}

/** The Inbox's URL as given (https, no path beyond the app's root); a token (the distribution's) passes as is. */
export function inboxUrlOf(given: string): string {
  if (Token.isUnresolved(given)) return given;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new NotifySettingsError(`inboxUrl must be a URL such as https://inbox.example.com, got ${given}`);
  }
  if (url.protocol !== 'https:')
    throw new NotifySettingsError(`inboxUrl must be https (agents follow it from their mail), got ${given}`);
  return given.replace(/\/+$/, '');
}
