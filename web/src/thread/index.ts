/** The thread feature's public face. New thread is loaded on demand by the app's routes. */
export { threadQueries } from './queries.ts';
export { ThreadView } from './thread-view.tsx';
