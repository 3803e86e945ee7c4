// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and a strategic merge patch
// that knows the list merge keys of the built-in types Healer touches.
import { KubeApiError, badRequest, failure } from './errors.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of lists in core types (the `patchMergeKey` tags of k8s.io/api). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
  tolerations: 'key',
  hostAliases: 'ip',
};

/** Strategic merge patch, approximated: merge-keyed lists merge by key, `$patch: delete|replace`. */
export function strategicMergePatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch) && Array.isArray(target) && MERGE_KEYS[field]) {
    const key = MERGE_KEYS[field];
    const out = [...target] as unknown[];
    for (const item of patch) {
      if (!isObj(item)) continue;
      const idx = out.findIndex((o) => isObj(o) && o[key] === item[key]);
      if (item.$patch === 'delete') {
        if (idx >= 0) out.splice(idx, 1);
      } else if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
      else out.push(strategicMergePatch({}, item));
    }
    return out;
  }
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else {
      const merged = strategicMergePatch(out[k], v, k);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  return out;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function jsonPatchError(message: string): KubeApiError {
  return new KubeApiError(failure(422, 'Invalid', message, {}));
}

function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw badRequest(`invalid JSON pointer: ${ptr}`);
  return ptr
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], ptr: string): { parent: unknown; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined) throw jsonPatchError(`doc is missing path: "${ptr}": missing value`);
  }
  return { parent: cur, key: parts[parts.length - 1] };
}

function getAt(doc: unknown, ptr: string): unknown {
  let cur = doc;
  for (const p of parsePointer(ptr)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function removeAt(doc: unknown, ptr: string): unknown {
  const parts = parsePointer(ptr);
  const { parent, key } = parentOf(doc, parts, ptr);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) {
      throw jsonPatchError(`unable to remove nonexistent key: ${key}: missing value`);
    }
    return parent.splice(i, 1)[0];
  }
  if (isObj(parent) && key in parent) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  throw jsonPatchError(`unable to remove nonexistent key: ${key}: missing value`);
}

function addAt(doc: unknown, ptr: string, value: unknown, replace: boolean): unknown {
  const parts = parsePointer(ptr);
  if (parts.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, parts, ptr);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length)) {
      throw jsonPatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    }
    if (replace) parent[i] = clone(value);
    else parent.splice(i, 0, clone(value));
  } else if (isObj(parent)) {
    if (replace && !(key in parent)) {
      throw jsonPatchError(
        `replace operation does not apply: doc is missing key: ${ptr}: missing value`,
      );
    }
    parent[key] = clone(value);
  } else throw jsonPatchError(`doc is missing path: "${ptr}": missing value`);
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
export { deepEqual };

/** RFC 6902 on a copy of `doc`. Failures answer 422 like the real server. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = clone(doc);
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObj(raw) || typeof raw.path !== 'string')
      throw badRequest('invalid JSON patch operation');
    switch (raw.op) {
      case 'add':
        out = addAt(out, raw.path, raw.value, false);
        break;
      case 'replace':
        out = addAt(out, raw.path, raw.value, true);
        break;
      case 'remove':
        removeAt(out, raw.path);
        break;
      case 'test':
        if (!deepEqual(getAt(out, raw.path), raw.value)) {
          throw jsonPatchError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      case 'move': {
        const v = removeAt(out, raw.from ?? '');
        out = addAt(out, raw.path, v, false);
        break;
      }
      case 'copy':
        out = addAt(out, raw.path, getAt(out, raw.from ?? ''), false);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(raw.op)}`);
    }
  }
  return out;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export function applyPatch(doc: unknown, contentType: string, body: unknown): unknown {
  switch (contentType) {
    case PATCH_TYPES.json:
      return jsonPatch(doc, body);
    case PATCH_TYPES.merge:
      return mergePatch(doc, body);
    case PATCH_TYPES.strategic:
      return strategicMergePatch(doc, body);
    default:
      throw new Error(`unsupported patch type ${contentType}`);
  }
}
