/** The mail feature's public face: mailboxes and signatures. My profile is loaded on demand by the app's routes. */
export { MailboxesSection, SignatureForm } from './mail-settings.tsx';
export { mailQueries } from './queries.ts';
