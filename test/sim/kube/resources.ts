// The resource types the simulator serves, with the facts discovery and the handlers need.

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  verbs: string[];
  /** A CustomResourceDefinition (unstructured): list items keep kind/apiVersion, no strategic merge. */
  custom: boolean;
  /** Writes to `status` only through `…/status`; creates drop `status`. */
  statusSubresource: boolean;
  /** `metadata.generation` is kept and bumped on spec changes. */
  generation: boolean;
  /** Fields a fieldSelector may use besides metadata.name / metadata.namespace. */
  selectableFields: string[];
  /** DELETE answers the object (true) or a Success Status (false). */
  deleteReturnsObject: boolean;
  /** PUT without metadata.resourceVersion is rejected (custom resources). */
  requireResourceVersionOnUpdate: boolean;
  /**
   * Test-only liberty (metrics.k8s.io): a PUT of an absent object creates it, so a scenario or
   * test can drive the usage metrics-server would report. The real API is read-only.
   */
  upsertOnPut?: boolean;
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function core(
  r: Partial<ResourceType> & Pick<ResourceType, 'plural' | 'singular' | 'kind'>,
): ResourceType {
  return {
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    custom: false,
    statusSubresource: false,
    generation: false,
    selectableFields: [],
    deleteReturnsObject: false,
    requireResourceVersionOnUpdate: false,
    ...r,
  };
}

function crd(
  r: Partial<ResourceType> &
    Pick<ResourceType, 'group' | 'version' | 'plural' | 'singular' | 'kind'>,
): ResourceType {
  return core({ custom: true, generation: true, requireResourceVersionOnUpdate: true, ...r });
}

export const RESOURCES: readonly ResourceType[] = [
  core({
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    generation: true,
    deleteReturnsObject: true,
    selectableFields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  }),
  core({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    shortNames: ['ev'],
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  core({ plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', shortNames: ['cm'] }),
  core({
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    shortNames: ['ns'],
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    statusSubresource: true,
    selectableFields: ['status.phase'],
  }),
  core({ group: 'coordination.k8s.io', plural: 'leases', singular: 'lease', kind: 'Lease' }),
  core({
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    shortNames: ['no'],
    namespaced: false,
    statusSubresource: true,
    selectableFields: ['spec.unschedulable'],
  }),
  core({
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    shortNames: ['pvc'],
    statusSubresource: true,
  }),
  // metrics-server's aggregated API (read-only on a real cluster; see `upsertOnPut`).
  ...(['pods', 'nodes'] as const).map((plural) =>
    core({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      plural,
      singular: '',
      kind: plural === 'pods' ? 'PodMetrics' : 'NodeMetrics',
      namespaced: plural === 'pods',
      verbs: ['get', 'list'],
      upsertOnPut: true,
      requireResourceVersionOnUpdate: false,
    }),
  ),
  crd({
    group: 'agents.platform',
    version: 'v1',
    plural: 'coderuns',
    singular: 'coderun',
    kind: 'CodeRun',
    shortNames: ['cr'],
    statusSubresource: true,
  }),
  // Argo's CRDs declare no status subresource: the workflow controller writes the whole object.
  crd({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    singular: 'workflow',
    kind: 'Workflow',
    shortNames: ['wf'],
  }),
  // Argo CD's Application: the application controller writes the whole object (no subresource).
  crd({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'applications',
    singular: 'application',
    kind: 'Application',
    shortNames: ['app', 'apps'],
  }),
  crd({
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'certificates',
    singular: 'certificate',
    kind: 'Certificate',
    shortNames: ['cert', 'certs'],
    categories: ['cert-manager'],
    statusSubresource: true,
  }),
  crd({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflowtemplates',
    singular: 'workflowtemplate',
    kind: 'WorkflowTemplate',
    shortNames: ['wftmpl'],
  }),
];

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `pods`, `coderuns.agents.platform`: how the real server names a resource in messages. */
export function qualifiedResource(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** `Pod`, `CodeRun.agents.platform`: how the real server names a kind in Invalid messages. */
export function qualifiedKind(r: ResourceType): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

/** The set of resource types one simulator serves (Argo may be left out). */
export class Registry {
  constructor(private readonly types: readonly ResourceType[]) {}

  all(): readonly ResourceType[] {
    return this.types;
  }

  groups(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of this.types)
      if (t.group) seen.set(t.group, { group: t.group, version: t.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** Find by apiVersion and any of kind, plural, singular or short name (case-insensitive). */
  resolve(apiVersion: string, kindOrName: string): ResourceType | undefined {
    const n = kindOrName.toLowerCase();
    return this.types.find(
      (t) =>
        apiVersionOf(t) === apiVersion &&
        (t.kind.toLowerCase() === n ||
          t.plural === n ||
          t.singular === n ||
          t.shortNames.includes(n)),
    );
  }
}
