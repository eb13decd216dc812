/**
 * `node --import tsx lib/bundling/cli.ts <entry> <outdir>`: bundles one function as `cdk synth` ships
 * it. GoChatFunction runs it in a child process, because CDK's local bundling is synchronous and esbuild
 * plugins need its asynchronous API.
 */
import { bundleFunction } from './bundle.ts';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: node --import tsx lib/bundling/cli.ts <entry> <outdir>');
  process.exit(2);
}
await bundleFunction(entry, outdir);
