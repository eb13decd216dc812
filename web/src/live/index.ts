/** The live feature's public face. */
export { applyChanges, type LiveState, setViewedThreads, useLiveUpdates } from './use-live-updates.ts';
