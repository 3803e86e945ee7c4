// Label and field selectors with the real grammar (k8s.io/apimachinery/pkg/labels and fields).
import { badRequest } from './errors.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

type LabelOp = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists' | 'gt' | 'lt';
interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type Matcher = (obj: KubeObject) => boolean;

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Split on commas outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function checkKey(key: string, raw: string): string {
  if (!KEY_RE.test(key)) {
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (found in "${raw}")`,
    );
  }
  return key;
}

function checkValue(v: string): string {
  if (!VALUE_RE.test(v) || v.length > 63) {
    throw badRequest(
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return v;
}

function parseRequirement(raw: string): LabelRequirement {
  const s = raw.trim();
  let m = /^(!)\s*(\S+)$/.exec(s);
  if (m) return { key: checkKey(m[2], s), op: 'notexists', values: [] };
  m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s);
  if (m) {
    const values = m[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(m[1], s), op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(s);
  if (m) {
    const opMap: Record<string, LabelOp> = {
      '=': 'eq',
      '==': 'eq',
      '!=': 'neq',
      '>': 'gt',
      '<': 'lt',
    };
    const value = m[3].trim();
    if ((m[2] === '>' || m[2] === '<') && !/^-?\d+$/.test(value)) {
      throw badRequest(
        `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    return { key: checkKey(m[1], s), op: opMap[m[2]], values: [checkValue(value)] };
  }
  if (/^\S+$/.test(s)) return { key: checkKey(s, s), op: 'exists', values: [] };
  throw badRequest(
    `unable to parse requirement: found '${s}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

function matchLabel(req: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const v = labels[req.key];
  switch (req.op) {
    case 'eq':
    case 'in':
      return has && req.values.includes(v);
    case 'neq':
    case 'notin':
      return !has || !req.values.includes(v);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'gt':
      return has && /^-?\d+$/.test(v) && Number(v) > Number(req.values[0]);
    case 'lt':
      return has && /^-?\d+$/.test(v) && Number(v) < Number(req.values[0]);
  }
}

/** Parse a labelSelector; throws a 400 Status error on bad syntax. Empty selects everything. */
export function parseLabelSelector(selector: string | undefined | null): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTop(selector).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return reqs.every((r) => matchLabel(r, labels));
  };
}

/** Split on an unescaped separator, honouring `\` escapes as fields.ParseSelector does. */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

const FIELD_ALIASES: Record<string, string> = { source: 'source.component' };

function fieldValue(obj: KubeObject, field: string): string {
  const path = FIELD_ALIASES[field] ?? field;
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return '';
}

/** Field selectors, limited to the fields the real server supports for this resource. */
export function parseFieldSelector(selector: string | undefined | null, r: ResourceType): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...r.selectableFields]);
  const terms = splitEscaped(selector, ',').map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1];
    if (!allowed.has(field)) {
      throw badRequest(
        r.custom
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
    }
    return { field, neq: m[2] === '!=', value: unescape(m[3]) };
  });
  return (obj) => terms.every((t) => (fieldValue(obj, t.field) === t.value) !== t.neq);
}
