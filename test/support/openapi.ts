import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** The OpenAPI document, and a validator of a response against its schema for (operation, status). */
export const openapi = parse(readFileSync(new URL('../../openapi/openapi.yaml', import.meta.url), 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'openapi.json', components: openapi.components });

/** Every (method, path template) → operation object of the document. */
export function operations(): Array<{ method: string; path: string; op: any }> {
  const out = [];
  for (const [path, item] of Object.entries<any>(openapi.paths))
    for (const method of ['get', 'post', 'put', 'patch', 'delete'])
      if (item[method]) out.push({ method: method.toUpperCase(), path, op: item[method] });
  return out;
}

const resolve = (node: any): any => {
  if (node?.$ref?.startsWith('#/components/responses/'))
    return openapi.components.responses[node.$ref.split('/').pop()];
  return node;
};

const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/**
 * Checks one response against the document: the status must be listed for the operation (or covered
 * by `default`), and the body must validate against that response's schema. Returns problems, if any.
 */
export function checkResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const op = openapi.paths[pathTemplate]?.[method.toLowerCase()];
  if (!op) return [`${method} ${pathTemplate} is not in the OpenAPI document`];
  const key = String(status);
  const response = resolve(op.responses[key] ?? op.responses.default);
  if (!response) return [`${method} ${pathTemplate} does not document status ${status}`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema)
    return body === undefined || body === '' ? [] : [`${method} ${pathTemplate} ${status} has no body schema`];
  const cacheKey = `${method} ${pathTemplate} ${op.responses[key] ? key : 'default'}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(rebase(schema));
    validators.set(cacheKey, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${cacheKey}: ${e.instancePath} ${e.message}`);
}

/** Rewrites `#/components/...` refs to the registered document, so a response schema compiles alone. */
function rebase(schema: any): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(schema))
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi.json${v}` : rebase(v);
    return out;
  }
  return schema;
}
