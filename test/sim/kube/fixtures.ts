// Small builders of realistic objects and a polling helper for tests that use the simulator.
import type { KubeSim } from './api.js';
import type { KubeObject } from './types.js';

export function podManifest(
  name: string,
  opts: {
    namespace?: string;
    labels?: Record<string, string>;
    containers?: string[];
    nodeName?: string;
  } = {},
): KubeObject {
  const spec: Record<string, unknown> = {
    containers: (opts.containers ?? ['main']).map((c) => ({
      name: c,
      image: `ghcr.io/5dlabs/${c}:1.0.0`,
    })),
  };
  if (opts.nodeName) spec.nodeName = opts.nodeName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'cto', labels: opts.labels ?? {} },
    spec,
  };
}

export function codeRunManifest(
  name: string,
  opts: {
    namespace?: string;
    labels?: Record<string, string>;
    spec?: Record<string, unknown>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'agents.platform/v1',
    kind: 'CodeRun',
    metadata: { name, namespace: opts.namespace ?? 'cto', labels: opts.labels ?? {} },
    spec: {
      taskId: 1,
      service: 'cto',
      repositoryUrl: 'https://github.com/5dlabs/cto',
      docsRepositoryUrl: 'https://github.com/5dlabs/cto-docs',
      workingDirectory: '.',
      model: 'claude-sonnet-4-20250514',
      githubApp: '5DLabs-Rex',
      ...(opts.spec ?? {}),
    },
  };
}

/**
 * Poll `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. The
 * default is generous: on a 2-core CI machine a scenario of several stages can take seconds, and a
 * wait that passes only bounds how long a failing test takes.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  {
    timeoutMs = 15_000,
    intervalMs = 10,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** JSON read off the wire in tests, checked field by field by assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped wire JSON, asserted on
export type Wire = any;

/** A bare fetch client for wire-level assertions: status, headers, text and parsed JSON. */
export function rawClient(sim: KubeSim, token = 'sim-token') {
  return async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(sim.url + path, init);
    const text = await res.text();
    const ct = res.headers.get('content-type') ?? '';
    const json: Wire = ct.startsWith('application/json') ? JSON.parse(text) : undefined;
    return { status: res.status, headers: res.headers, text, json };
  };
}
