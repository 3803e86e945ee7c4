// Public entry of the simulated Kubernetes API server. See README.md in this folder.
export { startKubeSim } from './sim.js';
export { KubeApiError } from './errors.js';
export type { KubeSim, KubeSimFaults, KubeSimOptions, KubeSimStats } from './api.js';
export type { FailRequestsOptions } from './faults.js';
export type { RequestRecord } from './http.js';
export type { DeleteOptions } from './operations.js';
export type { KubeObject, ObjectMeta, Status, StoredObject } from './types.js';
export { RESOURCES } from './resources.js';
export type { ResourceType } from './resources.js';
export { codeRunManifest, podManifest, rawClient, waitFor } from './fixtures.js';
export type { Wire } from './fixtures.js';
