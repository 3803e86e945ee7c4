// Watch streams: chunked newline-delimited JSON events, replay from the history window, 410 as an
// ERROR event inside a 200 stream, bookmarks, timeoutSeconds, and cuts for fault injection.
import type { ServerResponse } from 'node:http';
import { expired } from './errors.js';
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import type { Matcher } from './selectors.js';
import type { ChangeEvent, ObjectStore } from './store.js';
import type { KubeObject, StoredObject, WatchEventType } from './types.js';

export interface WatchRequest {
  resource: ResourceType;
  /** Undefined: all namespaces. */
  namespace?: string;
  matches: Matcher;
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  /** Turns an object into what goes on the wire (e.g. a Table row for kubectl). */
  render: (obj: KubeObject, type: WatchEventType) => unknown;
}

interface Stream {
  res: ServerResponse;
  req: WatchRequest;
  bookmark(annotate?: boolean): void;
  end(abrupt: boolean): void;
  /** From now on stay open but send nothing (a half-dead connection). */
  stall(): void;
}

export class WatchHub {
  private readonly streams = new Set<Stream>();
  started = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: () => number,
  ) {}

  get open(): number {
    return this.streams.size;
  }

  /** Serve a watch on `res` (headers not yet sent). */
  serve(req: WatchRequest, res: ServerResponse): void {
    this.started++;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    let stalled = false;
    const write = (type: WatchEventType, object: unknown): void => {
      if (stalled || res.writableEnded || res.destroyed) return;
      res.write(JSON.stringify({ type, object }) + '\n');
    };
    const inScope = (o: StoredObject): boolean =>
      (req.namespace === undefined || o.metadata.namespace === req.namespace) && req.matches(o);
    const emit = (e: ChangeEvent): void => {
      // a watch sees changes of its own resource type only
      if (e.resource !== req.resource) return;
      const projected = project(e, inScope);
      if (projected) write(projected.type, req.render(projected.object, projected.type));
    };

    const rvParam = req.resourceVersion;
    const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (fromRv !== undefined) {
      const past = this.store.since(req.resource, fromRv);
      if (past === 'expired') {
        write('ERROR', expired(fromRv, this.store.oldestWatchableRv()));
        res.end();
        return;
      }
      past.forEach(emit);
    } else {
      // No resourceVersion (or "0"): synthetic ADDED events for the current state, then live.
      for (const o of this.store.list(req.resource, req.namespace)) {
        if (inScope(o)) write('ADDED', req.render(o, 'ADDED'));
      }
    }

    const bookmark = (annotate = false): void => {
      if (!req.allowBookmarks) return;
      const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRv()) };
      if (annotate) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
      write('BOOKMARK', {
        kind: req.resource.kind,
        apiVersion: apiVersionOf(req.resource),
        metadata,
      });
    };
    if (req.sendInitialEvents) bookmark(true);

    const unsubscribe = this.store.subscribe(emit);
    const interval = req.allowBookmarks
      ? setInterval(() => bookmark(), this.bookmarkIntervalMs())
      : undefined;
    const timeout =
      req.timeoutSeconds !== undefined && req.timeoutSeconds > 0
        ? setTimeout(() => {
            bookmark();
            stream.end(false);
          }, req.timeoutSeconds * 1000)
        : undefined;
    const cleanup = (): void => {
      unsubscribe();
      if (interval) clearInterval(interval);
      if (timeout) clearTimeout(timeout);
      this.streams.delete(stream);
    };
    const stream: Stream = {
      res,
      req,
      stall: () => {
        stalled = true;
      },
      bookmark,
      end: (abrupt) => {
        cleanup();
        if (abrupt) res.socket?.destroy();
        else if (!res.writableEnded) res.end();
      },
    };
    this.streams.add(stream);
    res.on('close', cleanup);
  }

  /** End every open watch: cleanly (the client sees the stream finish) or abruptly (socket reset). */
  cut(opts: { abrupt?: boolean; match?: (r: ResourceType) => boolean } = {}): number {
    let n = 0;
    for (const s of [...this.streams]) {
      if (opts.match && !opts.match(s.req.resource)) continue;
      s.end(opts.abrupt ?? false);
      n++;
    }
    return n;
  }

  /** Keep the open watches open but silent from now on: no events, no bookmarks, no end. */
  stall(opts: { match?: (r: ResourceType) => boolean } = {}): number {
    let n = 0;
    for (const s of this.streams) {
      if (opts.match && !opts.match(s.req.resource)) continue;
      s.stall();
      n++;
    }
    return n;
  }

  /** Send a BOOKMARK now on every watch that allowed bookmarks. */
  bookmarkAll(): void {
    for (const s of this.streams) s.bookmark();
  }
}

/** What a watcher with a given scope sees of a change, as the real watch cache filters it. */
function project(
  e: ChangeEvent,
  inScope: (o: StoredObject) => boolean,
): { type: WatchEventType; object: StoredObject } | undefined {
  if (e.type === 'DELETED')
    return inScope(e.object) ? { type: 'DELETED', object: e.object } : undefined;
  const now = inScope(e.object);
  if (e.type === 'ADDED') return now ? { type: 'ADDED', object: e.object } : undefined;
  const was = e.old !== undefined && inScope(e.old);
  if (now && was) return { type: 'MODIFIED', object: e.object };
  if (now) return { type: 'ADDED', object: e.object };
  if (was) return { type: 'DELETED', object: e.object };
  return undefined;
}
