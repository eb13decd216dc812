/** The customers feature's public face. Its pages are loaded on demand by the app's routes. */
export { customerQueries } from './queries.ts';
export { useCustomerContacts, useCustomers } from './use-customers.ts';
