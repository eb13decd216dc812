import { describe, expect, it } from 'vitest';
import {
  isShardedFacet,
  keys,
  LIST_SHARDS,
  listShardOf,
  normalizeMessageId,
  TABLE,
  threadFacets,
} from '#adapters/dynamo/keys.ts';

describe('the key module', () => {
  it('scopes every workspace-owned key to its workspace', () => {
    const owned = [
      keys.settings('w1'),
      keys.template('w1', 't'),
      keys.customer('w1', 'c'),
      keys.contact('w1', 'k'),
      keys.contactEmail('w1', 'A@B.C'),
      keys.link('w1', 'c', 'k'),
      keys.thread('w1', 't'),
      keys.feedItem('w1', 't', '2026-01-01T00:00:00.000Z', 'i'),
      keys.threadRef('w1', '7'),
      keys.messageId('w1', '<x@y>'),
      keys.listEntry('w1', 't', 'all', '2026'),
      keys.keyword('w1', 'invoice', 't'),
      keys.send('w1', 's'),
      keys.sendCap('w1', 'a@b', 'w'),
      keys.agent('w1', 'sub-1'),
      keys.draft('w1', 't', 'd'),
      keys.presence('w1', 't', 'sub-1'),
      keys.readMarker('w1', 't', 'sub-1'),
    ];
    for (const k of owned) expect(k.PK.startsWith('WS#w1')).toBe(true);
    expect(keys.link('w1', 'c', 'k').GSI2PK.startsWith('WS#w1#')).toBe(true);
    expect(keys.listEntry('w1', 't', 'tag=kyc', '2026').GSI1PK).toBe('WS#w1#LIST#tag=kyc');
    // A hot facet is written over LIST_SHARDS partitions (docs/scale.md): the thread's shard.
    expect(keys.listEntry('w1', 't', 'status=open', '2026').GSI1PK).toBe(`WS#w1#LIST#status=open#${listShardOf('t')}`);
  });

  it('shards the hot list facets by a stable hash of the thread, and only those', () => {
    expect(['all', 'status=open', 'assignee=none', 'status=open&assignee=none'].every(isShardedFacet)).toBe(true);
    expect(['tag=kyc', 'status=open&tag=kyc', 'assignee=a1', 'customer=C1', 'quarantine'].some(isShardedFacet)).toBe(
      false,
    );
    expect(keys.listPartitions('w1', 'all')).toEqual(
      Array.from({ length: LIST_SHARDS }, (_, n) => `WS#w1#LIST#all#${n}`),
    );
    expect(keys.listPartitions('w1', 'customer=C1')).toEqual(['WS#w1#LIST#customer=C1']);
    // Every hot facet of a thread is in the same shard, and ids spread over all shards.
    const t = '01JTHREAD0000000000000000A';
    expect(keys.listEntry('w1', t, 'all', 'x').GSI1PK.endsWith(`#${listShardOf(t)}`)).toBe(true);
    expect(keys.listEntry('w1', t, 'status=closed', 'x').GSI1PK.endsWith(`#${listShardOf(t)}`)).toBe(true);
    const counts = new Array(LIST_SHARDS).fill(0);
    for (let i = 0; i < 400; i++) counts[listShardOf(`01JTHREAD${String(i).padStart(17, '0')}`)]++;
    for (const c of counts) expect(c).toBeGreaterThan(400 / LIST_SHARDS / 2);
  });

  it('keeps one workspace from reaching another by prefix', () => {
    // `WS#w1` must never be a prefix of another workspace's partition: ids are fixed-length ULIDs,
    // and the separator follows the id.
    expect(keys.thread('w1', 't').PK).toBe('WS#w1#TH#t');
    expect(keys.thread('w10', 't').PK.startsWith(`${keys.thread('w1', 't').PK}`)).toBe(false);
  });

  it('normalizes addresses and Message-IDs so lookups match what mail clients send', () => {
    expect(keys.inboundAddress(' Support@Acme.TEST ')).toEqual({ PK: 'ADDR#support@acme.test', SK: 'META' });
    expect(normalizeMessageId('<Abc.123@Mail.Example.COM>')).toBe('Abc.123@mail.example.com');
    expect(keys.messageId('w', '<a@B>')).toEqual(keys.messageId('w', 'a@b'));
  });

  it('sorts feed items by time, then id', () => {
    const a = keys.feedItem('w', 't', '2026-01-01T00:00:00.000Z', 'B').SK;
    const b = keys.feedItem('w', 't', '2026-01-01T00:00:01.000Z', 'A').SK;
    expect(a < b).toBe(true);
  });

  it('lists a thread under its facets, combined with status for the common narrowings', () => {
    expect(
      threadFacets({ status: 'open', assignee: 'ag', tags: ['KYC'], customerIds: ['c1'], hasAttachments: true }),
    ).toEqual([
      'all',
      'status=open',
      'assignee=ag',
      'status=open&assignee=ag',
      'tag=kyc',
      'status=open&tag=kyc',
      'customer=c1',
      'attachments=true',
      'status=open&attachments=true',
    ]);
    expect(threadFacets({ status: 'closed', tags: [], customerIds: [], hasAttachments: false })).toEqual([
      'all',
      'status=closed',
      'assignee=none',
      'status=closed&assignee=none',
    ]);
  });

  it('describes GSIs whose key attributes exist on the items that use them', () => {
    expect(TABLE.globalSecondaryIndexes.map((g) => g.indexName)).toEqual(['GSI1', 'GSI2']);
    expect(Object.keys(keys.listEntry('w', 't', 'all', 'x'))).toEqual(expect.arrayContaining(['GSI1PK', 'GSI1SK']));
    expect(Object.keys(keys.customerListing('w', 'n', 'c'))).toEqual(['GSI2PK', 'GSI2SK']);
  });
});

describe('reports and SLA keys', () => {
  it('keeps a thread metrics, its events and its alerts in the thread partition, and rollups per workspace', () => {
    const thread = keys.thread('w1', 't1').PK;
    expect(keys.threadMetrics('w1', 't1')).toEqual({ PK: thread, SK: 'METRICS' });
    expect(keys.metricsEvent('w1', 't1', '2026-10-19T08:00:00.000Z', 'created')).toEqual({
      PK: thread,
      SK: 'EVT#2026-10-19T08:00:00.000Z#created',
    });
    expect(keys.slaAlert('w1', 't1', 'x'.repeat(2000)).SK.length).toBeLessThan(300);
    expect(keys.rollup('w1', 'tag', 'billing', '2026-10-19')).toEqual({
      PK: 'WS#w1#ROLLUP#tag',
      SK: '2026-10-19#billing',
    });
    expect(keys.rollup('w1', 'agent', 'a'.repeat(2000), '2026-10-19').SK.length).toBeLessThan(300);
    expect(keys.metricsEventListing('w1', 'resolved', 'at', 't1')).toEqual({
      GSI2PK: 'WS#w1#EVT#resolved',
      GSI2SK: 'at#t1',
    });
  });
});
