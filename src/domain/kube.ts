/**
 * The Kubernetes objects Healer reads, as plain JSON shapes. Pods and Events use the client
 * library's types (type-only imports: no runtime dependency); CodeRun and Workflow are custom
 * resources described here with the fields Healer uses.
 */
import type { CoreV1Event, V1ObjectMeta, V1Pod } from '@kubernetes/client-node';

export type Pod = V1Pod;
export type KubeEvent = CoreV1Event;
export type ObjectMeta = V1ObjectMeta;

export interface CodeRunSpec {
  taskId?: number;
  service?: string;
  githubApp?: string;
  model?: string;
  repositoryUrl?: string;
  docsRepositoryUrl?: string;
  workingDirectory?: string;
  runType?: string;
  [key: string]: unknown;
}

export interface CodeRunStatus {
  phase?: string;
  startedAt?: string;
  finishedAt?: string;
  lastTransitionTime?: string;
  pullRequestUrl?: string;
  podName?: string;
  jobName?: string;
  message?: string;
  [key: string]: unknown;
}

export interface CodeRun {
  apiVersion: 'agents.platform/v1';
  kind: 'CodeRun';
  metadata: ObjectMeta;
  spec: CodeRunSpec;
  status?: CodeRunStatus;
}

export interface WorkflowNode {
  id?: string;
  name?: string;
  displayName?: string;
  type?: string;
  phase?: string;
  startedAt?: string;
  finishedAt?: string;
  podName?: string;
  templateName?: string;
  message?: string;
}

export interface Workflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow';
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    startedAt?: string;
    finishedAt?: string;
    message?: string;
    nodes?: Record<string, WorkflowNode>;
  };
}

export type KubeObject = Pod | CodeRun | Workflow | KubeEvent;
export type ObjectKind = 'pod' | 'coderun' | 'workflow' | 'event';
