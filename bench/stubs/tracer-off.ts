/** bench/lambdas.bench.ts: stands in for Powertools Tracer, to measure what the real one adds. */
export class Tracer {
  captureAWSv3Client<T>(client: T): T {
    return client;
  }
}
export const captureLambdaHandler = () => ({ before: () => {} });
