import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '#core/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

const nextUlid = monotonicFactory();
export const ulidGenerator: IdGenerator = { newId: () => nextUlid() };
