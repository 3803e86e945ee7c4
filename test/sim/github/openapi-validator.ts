// Validates GitHub responses against GitHub's published REST description (@octokit/openapi,
// OpenAPI 3.0) with Ajv: `nullable: true` becomes a `null` type, `$ref`s resolve into the
// description's components, the operation is found by path template + method.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Json> };
}

const DOC_ID = 'github-api';
const NOT_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const DROP = new Set([
  'nullable',
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
]);

// OpenAPI 3.0 schema → JSON Schema Ajv understands.
export function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const src = s as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROP.has(k) || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.startsWith('#/') ? `${DOC_ID}${v}` : v;
    else if (NOT_KEYWORDS.has(k) && v && typeof v === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(v as Json).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else out[k] = toJsonSchema(v);
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null))
        out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

export interface OpenApiValidator {
  // Problems with one response (empty when it conforms). `url` may be absolute or a path.
  validate(method: string, url: string, status: number, body: unknown): string[];
  // The operation's path template for a request path, if GitHub documents it.
  findTemplate(method: string, url: string): string | undefined;
}

let cached: OpenApiValidator | undefined;

export function githubOpenApiValidator(): OpenApiValidator {
  cached ??= build();
  return cached;
}

function build(): OpenApiValidator {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: { schemas: toJsonSchema(spec.components.schemas) } });

  const templates = Object.keys(spec.paths).map((t) => ({
    template: t,
    params: (t.match(/\{/g) ?? []).length,
    re: new RegExp(
      `^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    ),
  }));
  templates.sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction | null>();

  const pathOf = (url: string) => {
    const p = new URL(url, 'http://x').pathname;
    return p.length > 1 ? p.replace(/\/+$/, '') : p;
  };

  function findTemplate(method: string, url: string): string | undefined {
    const path = pathOf(url);
    const m = method.toLowerCase();
    return templates.find((t) => t.re.test(path) && spec.paths[t.template]?.[m])?.template;
  }

  function schemaFor(
    template: string,
    method: string,
    status: number,
  ): { schema?: unknown; documented: boolean } {
    const op = spec.paths[template][method.toLowerCase()];
    let resp = op.responses?.[String(status)];
    if (!resp) return { documented: false };
    if (typeof resp.$ref === 'string')
      resp = spec.components.responses[resp.$ref.split('/').pop()!]!;
    const content = resp.content as Record<string, { schema?: unknown }> | undefined;
    const json = content?.['application/json'] ?? content?.['application/scim+json'];
    return { schema: json?.schema, documented: true };
  }

  function validate(method: string, url: string, status: number, body: unknown): string[] {
    const template = findTemplate(method, url);
    const where = `${method.toUpperCase()} ${pathOf(url)}`;
    if (!template) return [`${where}: no such operation in GitHub's REST description`];
    let { schema, documented } = schemaFor(template, method, status);
    if (!documented && status >= 400) {
      // GitHub documents only some error statuses per operation; any error still has its shapes.
      const errors = (body as { errors?: unknown[] } | undefined)?.errors;
      const name = !Array.isArray(errors)
        ? 'basic-error'
        : typeof errors[0] === 'string'
          ? 'validation-error-simple'
          : 'validation-error';
      schema = { $ref: `#/components/schemas/${name}` };
      documented = true;
    }
    if (!documented)
      return [`${where} (${template}): status ${status} is not documented for this operation`];
    if (schema === undefined) {
      return body === undefined || body === ''
        ? []
        : [`${where}: status ${status} documents no body but one was sent`];
    }
    const key = `${method.toLowerCase()} ${template} ${status}`;
    let fn = compiled.get(key);
    if (fn === undefined) {
      fn = ajv.compile(toJsonSchema(schema) as object);
      compiled.set(key, fn);
    }
    if (fn?.(body)) return [];
    return (fn?.errors ?? []).map(
      (e) =>
        `${where} → ${status}: ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  return { validate, findTemplate };
}
