// A minimal Kubernetes REST client for the player: JSON over fetch with a bearer token, merge
// patches on objects and on their status subresource (the way the kubelet and controllers write).
export type Obj = Record<string, unknown> & {
  metadata?: { name?: string; uid?: string; resourceVersion?: string; [k: string]: unknown };
};

export const PATHS = {
  pods: (ns: string) => `/api/v1/namespaces/${ns}/pods`,
  events: (ns: string) => `/api/v1/namespaces/${ns}/events`,
  coderuns: (ns: string) => `/apis/agents.platform/v1/namespaces/${ns}/coderuns`,
  workflows: (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/workflows`,
};

export class KubeHttpError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

export class KubeHttp {
  constructor(
    readonly url: string,
    readonly token = 'sim-token',
  ) {}

  async request(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': contentType }),
        'user-agent': 'healer-play-simulator/1.0',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const s = (json ?? {}) as { reason?: string; message?: string };
      throw new KubeHttpError(
        `kube ${method} ${path}: ${res.status} ${s.reason ?? ''} ${s.message ?? text}`.trim(),
        res.status,
      );
    }
    return json as Obj;
  }

  create(collection: string, obj: Obj): Promise<Obj> {
    return this.request('POST', collection, obj);
  }

  patch(path: string, patch: unknown): Promise<Obj> {
    return this.request('PATCH', path, patch, 'application/merge-patch+json');
  }

  delete(path: string): Promise<Obj> {
    return this.request('DELETE', path);
  }
}
