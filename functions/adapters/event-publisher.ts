/**
 * EventPublisher on EventBridge: source `gochat`, detail-type = the event type, detail = the event.
 * Without a bus (local runs, tests), `noopPublisher` drops the events.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent, EventPublisher } from '#core/ports.ts';

export const EVENT_SOURCE = 'gochat';
/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const batch = events.slice(i, i + MAX_ENTRIES);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.type,
            Time: new Date(e.at),
            Resources: [],
            Detail: JSON.stringify(e),
          })),
        }),
      );
      if (out.FailedEntryCount) {
        const failed = (out.Entries ?? []).filter((x) => x.ErrorCode).map((x) => `${x.ErrorCode}: ${x.ErrorMessage}`);
        throw new Error(`EventBridge refused ${out.FailedEntryCount} event(s): ${failed.join('; ')}`);
      }
    }
  }
}

export const noopPublisher: EventPublisher = { publish: async () => {} };

/** Collects events in memory: the local runtime's and tests' publisher. */
export class MemoryPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  async publish(events: DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}
