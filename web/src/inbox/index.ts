/** The inbox feature's public face: the page, and the list and search that the Customer Inbox reuses. */
export { type Filters, filtersFrom, searchOf } from './filters.ts';
export { InboxPage } from './inbox-page.tsx';
export { SearchBar } from './search-bar.tsx';
export { ThreadList } from './thread-list.tsx';
