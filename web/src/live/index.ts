/** The live feature's public face. */
export {
  applyChanges,
  type LiveState,
  sendTyping,
  setViewedThreads,
  subscribeTyping,
  TYPING_SHOWN_MS,
  typistsOf,
  useLiveUpdates,
} from './use-live-updates.ts';
