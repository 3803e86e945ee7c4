import {
  HttpMethod,
  Observable,
  RequestContext,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { fetch } from 'undici';

/** A non-2xx answer of the API server, with its Status reason and whether a retry may help. */
export class KubeHttpError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.name = 'KubeHttpError';
    this.status = status;
    this.reason = reason;
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/**
 * GET a JSON document from the API server with the kubeconfig's credentials and TLS settings
 * (the same mechanism the client library's Watch uses) and a deadline. Objects come back as the
 * server sent them (timestamps stay strings), unlike the typed API classes.
 */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const ctx = new RequestContext(`${cluster.server}${path}`, HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  const res = await fetch(ctx.getUrl(), {
    method: 'GET',
    headers: { ...ctx.getHeaders(), accept: 'application/json' },
    dispatcher: ctx.getDispatcher(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, 300);
    let reason: string | undefined;
    try {
      const status = JSON.parse(text) as { message?: string; reason?: string };
      message = status.message ?? message;
      reason = status.reason;
    } catch {
      // not a Status object
    }
    throw new KubeHttpError(res.status, `GET ${path}: ${res.status} ${message}`, reason);
  }
  return JSON.parse(text) as T;
}

/**
 * Per-call options of the generated API classes that give the request a deadline (they have none
 * of their own): `core.listNode(withDeadline(10_000))`.
 */
export const withDeadline = (ms: number) => ({
  middleware: [
    {
      pre: (c) => {
        c.setSignal(AbortSignal.timeout(ms));
        return new Observable(Promise.resolve(c));
      },
      post: (r) => new Observable(Promise.resolve(r)),
    } satisfies ObservableMiddleware,
  ],
  middlewareMergeStrategy: 'append' as const,
});
