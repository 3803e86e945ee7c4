// Create/update validation the real server applies to the types Healer writes: object names
// (DNS-1123), the CodeRun CRD's required spec fields, and a pod's containers.
import type { FieldError } from './errors.js';
import { failure, invalid, KubeApiError } from './errors.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function nameErrors(r: ResourceType, name: string | undefined): FieldError[] {
  if (!name) {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  const isLabel = r.plural === 'namespaces';
  const re = isLabel ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  const max = isLabel ? 63 : 253;
  const errs: FieldError[] = [];
  if (name.length > max) {
    errs.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be no more than ${max} characters`,
    });
  }
  if (!re.test(name)) {
    errs.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${isLabel ? LABEL_MSG : SUBDOMAIN_MSG}`,
    });
  }
  return errs;
}

/** The CodeRun CRD's required `spec` fields and their OpenAPI types. */
export const CODERUN_REQUIRED: Record<string, 'integer' | 'string'> = {
  taskId: 'integer',
  service: 'string',
  repositoryUrl: 'string',
  docsRepositoryUrl: 'string',
  workingDirectory: 'string',
  model: 'string',
  githubApp: 'string',
};

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function codeRunErrors(obj: KubeObject): FieldError[] {
  const spec = obj.spec;
  if (spec === undefined || spec === null) {
    return [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }];
  }
  if (jsonType(spec) !== 'object') {
    const t = jsonType(spec);
    return [
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec',
        message: `Invalid value: "${t}": spec in body must be of type object: "${t}"`,
      },
    ];
  }
  const errs: FieldError[] = [];
  const s = spec as Record<string, unknown>;
  for (const [field, type] of Object.entries(CODERUN_REQUIRED)) {
    const v = s[field];
    if (v === undefined || v === null) {
      errs.push({
        reason: 'FieldValueRequired',
        field: `spec.${field}`,
        message: 'Required value',
      });
      continue;
    }
    const t = jsonType(v);
    if (t !== type) {
      errs.push({
        reason: 'FieldValueTypeInvalid',
        field: `spec.${field}`,
        message: `Invalid value: "${t}": spec.${field} in body must be of type ${type}: "${t}"`,
      });
    }
  }
  return errs;
}

function podErrors(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { containers?: { name?: string; image?: string }[] };
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    return [{ reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' }];
  }
  const errs: FieldError[] = [];
  spec.containers.forEach((c, i) => {
    if (!c.name)
      errs.push({
        reason: 'FieldValueRequired',
        field: `spec.containers[${i}].name`,
        message: 'Required value',
      });
    if (!c.image)
      errs.push({
        reason: 'FieldValueRequired',
        field: `spec.containers[${i}].image`,
        message: 'Required value',
      });
  });
  return errs;
}

// metav1.MicroTime decodes with Go's time.Parse and exactly this layout: six fractional digits.
const RFC3339_MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

/** A Lease's MicroTime fields must decode (400, as the real server's decoder answers). */
function checkLeaseDecodes(obj: KubeObject): void {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  for (const field of ['acquireTime', 'renewTime'] as const) {
    const v = spec[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !RFC3339_MICRO.test(v)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      throw new KubeApiError(
        failure(
          400,
          'BadRequest',
          `Lease in version "v1" cannot be handled as a Lease: parsing time "${text}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${text.slice(19)}" as ".000000"`,
        ),
      );
    }
  }
}

function leaseErrors(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const errs: FieldError[] = [];
  for (const field of ['leaseDurationSeconds', 'leaseTransitions'] as const) {
    const v = spec[field];
    if (v === undefined || v === null) continue;
    const min = field === 'leaseDurationSeconds' ? 1 : 0;
    if (typeof v === 'number' && Number.isInteger(v) && v < min) {
      errs.push({
        reason: 'FieldValueInvalid',
        field: `spec.${field}`,
        message: `Invalid value: ${v}: must be greater than ${min === 1 ? '0' : 'or equal to 0'}`,
      });
    }
  }
  return errs;
}

/** Throws a 422 Invalid Status error when the object would be rejected by the real server. */
export function validate(r: ResourceType, obj: KubeObject, opts: { checkName: boolean }): void {
  const name = obj.metadata?.name ?? '';
  const isLease = r.kind === 'Lease' && r.group === 'coordination.k8s.io';
  if (isLease) checkLeaseDecodes(obj);
  const errs: FieldError[] = opts.checkName ? nameErrors(r, obj.metadata?.name) : [];
  if (r.kind === 'CodeRun' && r.group === 'agents.platform') errs.push(...codeRunErrors(obj));
  if (r.kind === 'Pod' && r.group === '') errs.push(...podErrors(obj));
  if (isLease) errs.push(...leaseErrors(obj));
  if (errs.length > 0) throw invalid(r, name, errs);
}
