/**
 * S3 on one machine: s3rver on a free loopback port, with the mail bucket created. The same S3 adapter
 * talks to it as to AWS; the client needs path-style URLs and no streamed checksums.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { freePort } from './net.ts';

const require = createRequire(import.meta.url);

/**
 * s3rver only knows the key pair S3RVER/S3RVER; the shared clients sign local requests with
 * `local`/`local` (aws-clients.ts), so that pair (and any given one) is registered on its dummy account.
 */
function allowKeyPairs(pairs: Array<[string, string]>): void {
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  for (const [id, secret] of pairs) DUMMY_ACCOUNT.createKeyPair(id, secret);
}

/** The bucket's CORS configuration: browsers of `origins` may POST a form (and GET/HEAD) cross-origin. */
export function uploadCors(origins: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const allowed = origins.map((o) => `<AllowedOrigin>${esc(o)}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

export interface S3Local {
  endpoint: string;
  port: number;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver with `bucket`. `dataDir` keeps the objects across runs; without it, a temporary
 * folder is used and removed by `stop()`.
 */
export async function startS3Local(opts: {
  bucket: string;
  dataDir?: string;
  port?: number;
  /** Extra access key pairs to accept, besides `local`/`local`. */
  keyPairs?: Array<[string, string]>;
  /** Origins whose pages may POST uploads to the bucket (the widget frame's); all (`*`) by default, as it is local. */
  corsOrigins?: string[];
}): Promise<S3Local> {
  allowKeyPairs([['local', 'local'], ...(opts.keyPairs ?? [])]);
  const port = opts.port ?? (await freePort());
  const directory = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'gochat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    // The widget frame posts its uploads (a presigned POST) from its own origin: a CORS rule lets it.
    configureBuckets: [{ name: opts.bucket, configs: [uploadCors(opts.corsOrigins ?? ['*'])] }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    bucket: opts.bucket,
    stop: async () => {
      await server.close();
      if (!opts.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
