// Status objects with the real API server's reasons and message wording.
import type { ResourceType } from './resources.js';
import { qualifiedKind, qualifiedResource } from './resources.js';
import type { Status } from './types.js';

/** An API error carrying the Status the server answers; thrown by the store, caught by the server. */
export class KubeApiError extends Error {
  constructor(
    readonly status: Status,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
    this.name = 'KubeApiError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
): Status {
  const s: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) s.details = details;
  return s;
}

function details(r: ResourceType, name: string): NonNullable<Status['details']> {
  return r.group ? { name, group: r.group, kind: r.plural } : { name, kind: r.plural };
}

export function notFound(r: ResourceType, name: string): KubeApiError {
  return new KubeApiError(
    failure(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, details(r, name)),
  );
}

export function namespaceNotFound(ns: string): KubeApiError {
  return new KubeApiError(
    failure(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }),
  );
}

export function unknownPath(): KubeApiError {
  return new KubeApiError(
    failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  );
}

export function alreadyExists(r: ResourceType, name: string): KubeApiError {
  return new KubeApiError(
    failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(r)} "${name}" already exists`,
      details(r, name),
    ),
  );
}

export function conflict(r: ResourceType, name: string): KubeApiError {
  return new KubeApiError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      details(r, name),
    ),
  );
}

export interface FieldError {
  reason:
    'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueTypeInvalid' | 'FieldValueForbidden';
  field: string;
  /** The part after `field: ` in the aggregated message, e.g. `Required value`. */
  message: string;
}

/** 422 Invalid, e.g. `CodeRun.agents.platform "x" is invalid: spec.taskId: Required value`. */
export function invalid(r: ResourceType, name: string, errors: FieldError[]): KubeApiError {
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const d: NonNullable<Status['details']> = { name, kind: r.kind };
  if (r.group) d.group = r.group;
  d.causes = errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field }));
  return new KubeApiError(
    failure(422, 'Invalid', `${qualifiedKind(r)} "${name}" is invalid: ${summary}`, d),
  );
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(failure(400, 'BadRequest', message));
}

export function methodNotAllowed(): KubeApiError {
  return new KubeApiError(
    failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );
}

export function unsupportedMediaType(_contentType: string, accepted: string[]): KubeApiError {
  return new KubeApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      {},
    ),
  );
}

export function unauthorized(): KubeApiError {
  return new KubeApiError(failure(401, 'Unauthorized', 'Unauthorized'));
}

/** The Status a failRequests fault answers for a given code. */
export function injected(code: number, retryAfterSeconds: number): KubeApiError {
  switch (code) {
    case 429:
      return new KubeApiError(
        failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
          retryAfterSeconds,
        }),
        { 'Retry-After': String(retryAfterSeconds) },
      );
    case 500:
      return new KubeApiError(
        failure(500, 'InternalError', 'Internal error occurred: simulated failure', {
          causes: [{ reason: '', message: 'simulated failure' }],
        }),
      );
    case 503:
      return new KubeApiError(
        failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {
          retryAfterSeconds,
        }),
        { 'Retry-After': String(retryAfterSeconds) },
      );
    case 504:
      return new KubeApiError(
        failure(
          504,
          'Timeout',
          'the server was unable to return a response in the time allotted, but may still be processing the request',
          {},
        ),
      );
    default:
      return new KubeApiError(
        failure(
          code,
          'Unknown',
          `the server responded with the status code ${code} but did not return more information`,
          {},
        ),
      );
  }
}

/** The ERROR event object a watch sends when its resourceVersion was compacted away. */
export function expired(requested: number, oldest: number): Status {
  return failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}
