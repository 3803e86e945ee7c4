/** Named readiness checks; `/ready` is 200 only when every one is ok. */
export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export class Readiness {
  readonly #checks = new Map<string, () => ReadinessCheck | Promise<ReadinessCheck>>();

  /** Checks that begin with the store answering a ping. */
  static withStore(store: { kind: string; ping(): Promise<void> }): Readiness {
    const r = new Readiness();
    r.register('store', async () => {
      await store.ping();
      return { ok: true, detail: `${store.kind} store open` };
    });
    return r;
  }

  register(name: string, check: () => ReadinessCheck | Promise<ReadinessCheck>): void {
    this.#checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, ReadinessCheck> }> {
    const checks: Record<string, ReadinessCheck> = {};
    for (const [name, check] of this.#checks) {
      try {
        checks[name] = await check();
      } catch (err) {
        checks[name] = { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
