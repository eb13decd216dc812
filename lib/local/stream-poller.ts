/**
 * The DynamoDB Stream → Lambda event source mapping, on one machine: polls the table's stream on
 * DynamoDB Local and hands each batch to the SAME dispatch handler, in the DynamoDBStreamEvent shape
 * that Lambda delivers. Batch item failures are honoured as in AWS: the shard is retried from the
 * first failed record, in order.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  region?: string;
  intervalMs?: number;
  /** Where to begin on the shards found at start: every record kept (default) or only new ones. */
  startAt?: 'TRIM_HORIZON' | 'LATEST';
  batchSize?: number;
  onError?: (error: unknown) => void;
}

interface ShardState {
  iterator?: string;
  /** Records read but not yet acknowledged by the handler (a failed batch's tail). */
  pending: DynamoDBRecord[];
  closed: boolean;
}

/** A stream record from the SDK, in the JSON shape of a Lambda DynamoDB event record. */
export function toLambdaRecord(r: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d.Keys ? { Keys: d.Keys as never } : {}),
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
    },
  };
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private streamArn?: string;
  private timer?: NodeJS.Timeout;
  private running = false;
  private polling?: Promise<number>;
  private readonly region: string;

  constructor(private readonly opts: StreamPollerOptions) {
    this.region = opts.region ?? 'local';
    this.client = new DynamoDBStreamsClient({
      endpoint: opts.endpoint,
      region: this.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** Finds the table's stream and starts polling in the background. */
  async start(): Promise<void> {
    await this.discover(this.opts.startAt ?? 'TRIM_HORIZON');
    this.running = true;
    const loop = async () => {
      if (!this.running) return;
      try {
        await this.pollOnce();
      } catch (e) {
        this.opts.onError?.(e);
      }
      if (this.running) this.timer = setTimeout(loop, this.opts.intervalMs ?? 100);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => {});
    this.client.destroy();
  }

  /** One pass over every open shard; returns the number of records the handler acknowledged. */
  pollOnce(): Promise<number> {
    // One pass at a time: a pass started while another runs waits for it (no record is handled twice).
    const previous = this.polling ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.pass());
    this.polling = next;
    return next;
  }

  /** Polls until a pass finds nothing new (and nothing pending): every change so far is dispatched. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const handled = await this.pollOnce();
      if (handled === 0 && [...this.shards.values()].every((s) => s.pending.length === 0)) return;
    }
    throw new Error('stream poller did not drain');
  }

  private async discover(startAt: 'TRIM_HORIZON' | 'LATEST'): Promise<void> {
    if (!this.streamArn) {
      const streams = await this.client.send(new ListStreamsCommand({ TableName: this.opts.tableName }));
      this.streamArn = streams.Streams?.[0]?.StreamArn;
      if (!this.streamArn) throw new Error(`table ${this.opts.tableName} has no stream`);
    }
    const described = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    const initial = this.shards.size === 0;
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (this.shards.has(id)) continue;
      // A child shard is read from its start once its parent is finished, so order per key holds.
      const parent = shard.ParentShardId ? this.shards.get(shard.ParentShardId) : undefined;
      if (parent && !parent.closed) continue;
      const it = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: id,
          ShardIteratorType: initial && !parent ? startAt : 'TRIM_HORIZON',
        }),
      );
      this.shards.set(id, { iterator: it.ShardIterator, pending: [], closed: false });
    }
  }

  private async pass(): Promise<number> {
    let handled = 0;
    let sawClosed = false;
    for (const [id, shard] of this.shards) {
      if (shard.closed && shard.pending.length === 0) continue;
      if (shard.pending.length === 0 && shard.iterator) {
        const out = await this.client.send(
          new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.opts.batchSize ?? 100 }),
        );
        shard.pending = (out.Records ?? []).map((r) => toLambdaRecord(r, this.streamArn!, this.region));
        shard.iterator = out.NextShardIterator;
        if (!shard.iterator) {
          shard.closed = true;
          sawClosed = true;
        }
      }
      if (shard.pending.length === 0) continue;
      const batch = shard.pending;
      let response: DynamoDBBatchResponse | undefined;
      try {
        response = await this.opts.handler({ Records: batch });
      } catch (e) {
        this.opts.onError?.(e);
        continue; // the whole batch is retried on the next pass
      }
      const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
      const at = failed ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed) : -1;
      shard.pending = at >= 0 ? batch.slice(at) : [];
      handled += at >= 0 ? at : batch.length;
      if (at >= 0) this.opts.onError?.(new Error(`shard ${id}: record ${failed} failed; retrying from it`));
    }
    if (sawClosed || this.shards.size === 0) await this.discover('TRIM_HORIZON');
    return handled;
  }
}
