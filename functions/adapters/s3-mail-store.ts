/** MailStore on S3: the raw inbound mail (written by the SES S3 action), attachments and built MIME. */
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MailStore } from '#core/ports.ts';
import { type ClientOptions, localCredentials } from './aws-clients.ts';
import { recordSdkCalls } from './sdk-call-recorder.ts';

/**
 * The mail bucket's client. Locally, s3rver also needs path-style URLs and no streamed checksums
 * (a known s3rver trap), which `s3Local` (or an explicit endpoint) switches on.
 */
export function s3Client(opts: ClientOptions): S3Client {
  const endpoint = opts.endpoints?.s3;
  const local = opts.s3Local || Boolean(endpoint);
  return recordSdkCalls(
    new S3Client({
      region: opts.region,
      ...(endpoint ? { endpoint } : {}),
      ...localCredentials(endpoint),
      ...(local ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
    }),
  );
}

export class S3MailStore implements MailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async getRaw(key: string): Promise<Buffer> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`object ${key} has no body`);
    return Buffer.from(await out.Body.transformToByteArray());
  }

  async putObject(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async presignDownload(key: string, filename: string, expiresSeconds: number): Promise<string> {
    // RFC 6266: an ASCII fallback name plus the UTF-8 one, so any filename downloads safely.
    const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    const disposition = `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }),
      { expiresIn: expiresSeconds },
    );
  }

  async presignUpload(key: string, opts: { contentType: string; maxBytes: number; expiresSeconds: number }) {
    const post = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, opts.maxBytes],
        ['eq', '$Content-Type', opts.contentType],
      ],
      Fields: { 'Content-Type': opts.contentType },
      Expires: opts.expiresSeconds,
    });
    return { url: post.url, fields: post.fields };
  }

  private origin?: Promise<string>;

  /** The presigned POST's origin (a local signing, no request), computed once. */
  uploadOrigin(): Promise<string> {
    this.origin ??= createPresignedPost(this.s3, { Bucket: this.bucket, Key: 'uploads/origin' }).then(
      (p) => new URL(p.url).origin,
    );
    return this.origin;
  }

  async headObject(key: string): Promise<{ size: number; contentType?: string } | null> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, ...(out.ContentType ? { contentType: out.ContentType } : {}) };
    } catch (e) {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return null;
      throw e;
    }
  }

  async copyObject(from: string, to: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({ Bucket: this.bucket, CopySource: `${this.bucket}/${encodeURI(from)}`, Key: to }),
    );
  }
}
