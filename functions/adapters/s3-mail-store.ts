/** MailStore on S3: the raw inbound mail (written by the SES S3 action), attachments and built MIME. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MailStore } from '../core/ports.ts';

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
}
