/** The thread feature's public face. New thread is loaded on demand by the app's routes. */
export { threadQueries } from './queries.ts';
export { snoozePresets } from './snooze.tsx';
export { ThreadView } from './thread-view.tsx';
