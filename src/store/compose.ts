import type {
  CursorStore,
  IncidentStore,
  OutcomeStore,
  OutboxStore,
  SessionStore,
  SilenceStore,
  Store,
  StoreHealth,
} from '../domain/stores.js';

/** The per-aggregate stores of one backend (they share its transactions). */
export interface StoreParts {
  sessions: SessionStore;
  incidents: IncidentStore;
  outbox: OutboxStore;
  silences: SilenceStore;
  cursors: CursorStore;
  outcomes: OutcomeStore;
  health: StoreHealth;
}

/** The functions of an object and of its class (bound to it). */
function methods(part: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (
    let proto: object | null = part;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const v = (part as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof v === 'function' && !(name in out))
        out[name] = (v as (...a: unknown[]) => unknown).bind(part);
    }
  }
  return out;
}

/**
 * One object with every aggregate's methods (the composite {@link Store}), for callers that are
 * not narrowed to the aggregate they need yet. Two parts defining the same method is a bug.
 */
export function composeStore(parts: StoreParts): Store {
  const out: Record<string, unknown> = {};
  for (const part of Object.values(parts) as object[]) {
    for (const [name, fn] of Object.entries(methods(part))) {
      if (name in out) throw new Error(`two store parts define ${name}`);
      out[name] = fn;
    }
  }
  Object.defineProperty(out, 'kind', { value: parts.health.kind, enumerable: true });
  return out as unknown as Store;
}
