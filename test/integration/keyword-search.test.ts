/**
 * Keyword search as people type it, end to end on DynamoDB Local: mail ingested (subject, sender name
 * and address, new text indexed by ingest), then searched through the query adapter with the API's
 * tokenizer. One prefix Query per query word, then one BatchGet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { tokenize } from '#core/keywords.ts';
import { composeMail } from '../support/mail.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
let queries: DynamoThreadQueries;
let ws: { workspaceId: string; address: string };
const threadOf: Record<string, string> = {};

beforeAll(async () => {
  h = await startIngestHarness();
  queries = new DynamoThreadQueries(h.db, h.tableName);
  ws = await h.workspace();
  const mails = {
    identity: { from: 'Zoë Ångström <zoe@client.example>', subject: 'Mon identité', text: 'Bonjour, voici ma pièce.' },
    renewal: { from: 'Ann <ann@client.example>', subject: 'Contrat', text: 'Je souhaite renouveler mon abonnement.' },
    password: { from: 'Bob <bob@other.example>', subject: 'Login', text: 'I forgot my password again.' },
  };
  for (const [name, m] of Object.entries(mails)) {
    const raw = await composeMail({ ...m, to: ws.address });
    const result = await h.deliver(raw, { recipients: [ws.address] });
    threadOf[name] = result.workspaces[0].threadId;
  }
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

async function search(q: string) {
  const page = await queries.searchThreads(ws.workspaceId, tokenize(q), {}, { limit: 25 });
  return { ids: page.items.map((t) => t.threadId), stats: page.stats };
}

describe('keyword search', () => {
  it('ignores accents and case', async () => {
    expect((await search('identite')).ids).toEqual([threadOf.identity]);
    expect((await search('IDENTITÉ')).ids).toEqual([threadOf.identity]);
  });

  it('matches prefixes of 3 letters or more', async () => {
    expect((await search('renouvel')).ids).toEqual([threadOf.renewal]);
    expect((await search('abonn')).ids).toEqual([threadOf.renewal]);
  });

  it('folds plurals', async () => {
    expect((await search('passwords')).ids).toEqual([threadOf.password]);
  });

  it('finds names and addresses, and needs every word', async () => {
    expect((await search('angstrom')).ids).toEqual([threadOf.identity]);
    expect((await search('bob@other.example')).ids).toEqual([threadOf.password]);
    expect((await search('ann renouvel')).ids).toEqual([threadOf.renewal]);
    expect((await search('ann password')).ids).toEqual([]);
  });

  it('reads one Query per word and one BatchGet', async () => {
    const { stats } = await search('renouvel abonnement');
    expect(stats.queries).toBe(3);
  });
});
