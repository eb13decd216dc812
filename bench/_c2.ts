import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { IngestMail } from '../functions/core/ingest.ts';
import { ReplyTokens } from '../functions/core/reply-token.ts';
import { listCorpusFiles, corpusPath } from '../test/support/corpora.ts';
import { MemoryDirectory, MemoryMailStore, MemoryThreadStore } from '../test/unit/ingest-fakes.ts';
import { parseMail } from '../functions/core/mime.ts';
const d = new MemoryDirectory(); d.addresses.set('s@x.example', 'W');
const m = new MemoryMailStore();
const ing = new IngestMail({ threads: new MemoryThreadStore(), directory: d, mail: m, tokens: new ReplyTokens('x'.repeat(20)), clock: { now: () => new Date() }, maxMailBytes: 1e7 });
const files = ['sisimai','mailparser','postal-mime','talon','email_reply_parser','willdurand','fedora-jwz'].flatMap((f) => listCorpusFiles(f)).filter(f => !/LICENSE|expected|json|SOURCE|README|_thread/.test(f));
const slow: [number, string][] = [];
const st = performance.now();
let i = 0;
for (const f of files) {
  let raw = readFileSync(corpusPath(f)); if (f.endsWith('.gz')) raw = gunzipSync(raw);
  m.objects.set(`k${i}`, raw);
  const t = performance.now();
  await ing.ingest({ sesMessageId: `s${i}`, rawKey: `k${i++}`, recipients: ['s@x.example'] });
  slow.push([performance.now() - t, f]);
}
console.log(files.length, 'files', (performance.now() - st).toFixed(0), 'ms');
console.log(slow.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([t, f]) => `${t.toFixed(0)} ${f}`).join('\n'));
