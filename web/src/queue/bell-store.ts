/** Who opens the bell's panel: the bell itself, or the side bar's Mentions view (mentions only). */
export type BellFilter = 'all' | 'mentioned';
type State = { open: boolean; filter: BellFilter };

let state: State = { open: false, filter: 'all' };
const listeners = new Set<() => void>();

export const bellState = () => state;
export function setBell(next: State) {
  state = next;
  for (const l of listeners) l();
}
export function subscribeBell(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
