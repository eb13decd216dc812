/** The mail feature's public face: mailboxes and signatures (their settings are loaded with the settings page). */
export { mailQueries } from './queries.ts';
