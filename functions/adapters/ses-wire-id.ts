/** The Message-ID that SES puts on the wire for its MessageId, which replies will reference. */
export function wireMessageIdFor(providerMessageId: string, region: string): string {
  const host = region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
  return `<${providerMessageId}@${host}>`;
}
