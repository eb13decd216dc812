// The typed client's types, generated from the one contract (openapi/openapi.yaml) by openapi-typescript.
// `write` regenerates src/api/schema.d.ts; `check` exits 1 when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
// `--spec <file>` checks against another document (the staleness test uses it to prove it can fail).
const specArg = process.argv.indexOf('--spec');
const spec = specArg > 0 ? process.argv[specArg + 1] : join(here, '..', '..', 'openapi', 'openapi.yaml');
const out = join(here, '..', 'src', 'api', 'schema.d.ts');
const header = '// Generated from openapi/openapi.yaml by `npm run gen:api -w web`: do not edit.\n\n';

const ast = await openapiTS(pathToFileURL(spec));
const generated = header + astToString(ast);
const mode = process.argv[2] ?? 'check';
if (mode === 'write') {
  writeFileSync(out, generated);
  console.log(`wrote ${out}`);
} else {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== generated) {
    console.error('web/src/api/schema.d.ts is stale: run `npm run gen:api -w web` and commit it.');
    process.exit(1);
  }
  console.log('web/src/api/schema.d.ts matches openapi/openapi.yaml');
}
