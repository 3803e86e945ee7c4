// Query parameters and request bodies of resource requests, parsed as the real server reads them.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from './errors.js';
import type { LogQuery } from './logs.js';
import type { DeleteOptions } from './operations.js';
import type { ResourceType } from './resources.js';
import type { Matcher } from './selectors.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { IncludeObject } from './table.js';
import type { KubeObject } from './types.js';

export function flag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v === 'true' || v === '1';
}

export function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${key}: ${v}`);
  return Number(v);
}

export function matcher(r: ResourceType, q: URLSearchParams): Matcher {
  const l = parseLabelSelector(q.get('labelSelector'));
  const f = parseFieldSelector(q.get('fieldSelector'), r);
  return (o) => l(o) && f(o);
}

export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function parseBody(req: IncomingMessage, body: Buffer): KubeObject {
  const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    if (ct === 'application/yaml' || ct === 'application/x-yaml')
      return parseYaml(text) as KubeObject;
    if (ct === 'application/json' || ct === '*/*' || ct === '')
      return JSON.parse(text) as KubeObject;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
  throw unsupportedMediaType(ct, [
    'application/json',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
  ]);
}

export function deleteOptions(q: URLSearchParams, body: Buffer, dryRun: boolean): DeleteOptions {
  const opts: DeleteOptions = { dryRun };
  let parsed: {
    gracePeriodSeconds?: number;
    preconditions?: DeleteOptions['preconditions'];
    dryRun?: string[];
  } = {};
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw badRequest('the body of the request was not valid DeleteOptions');
    }
  }
  const grace = intParam(q, 'gracePeriodSeconds') ?? parsed.gracePeriodSeconds;
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (parsed.preconditions) opts.preconditions = parsed.preconditions;
  if (parsed.dryRun?.includes('All')) opts.dryRun = true;
  return opts;
}

export function logQuery(q: URLSearchParams): LogQuery {
  const out: LogQuery = {
    follow: flag(q, 'follow'),
    previous: flag(q, 'previous'),
    timestamps: flag(q, 'timestamps'),
  };
  const container = q.get('container');
  if (container) out.container = container;
  const tail = intParam(q, 'tailLines');
  if (tail !== undefined) out.tailLines = tail;
  const since = intParam(q, 'sinceSeconds');
  if (since !== undefined) out.sinceSeconds = since;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const d = new Date(sinceTime);
    if (Number.isNaN(d.getTime()))
      throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    out.sinceTime = d;
  }
  const limitBytes = intParam(q, 'limitBytes');
  if (limitBytes !== undefined) out.limitBytes = limitBytes;
  return out;
}
