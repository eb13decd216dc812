/** The live feature's public face. */
export {
  applyChanges,
  type LiveState,
  sendTyping,
  setViewedThreads,
  subscribeTyping,
  typistsOf,
  useLiveUpdates,
} from './use-live-updates.ts';
