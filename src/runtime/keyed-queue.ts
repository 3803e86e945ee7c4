import PQueue from 'p-queue';

/**
 * Work serialised per key, parallel across keys (one p-queue of concurrency 1 per busy key,
 * dropped when it drains). A task runs whatever the previous one of its key did; its own result
 * or failure goes to its caller.
 */
export class KeyedQueue {
  readonly #queues = new Map<string, PQueue>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let q = this.#queues.get(key);
    if (!q) {
      const created = new PQueue({ concurrency: 1 });
      created.addEventListener('idle', () => {
        if (this.#queues.get(key) === created) this.#queues.delete(key);
      });
      this.#queues.set(key, created);
      q = created;
    }
    return q.add(task);
  }

  /** Keys with queued or running work. */
  get size(): number {
    return this.#queues.size;
  }

  /** Resolves once no key has work, including work queued while waiting (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#queues.size) await Promise.all([...this.#queues.values()].map((q) => q.onIdle()));
  }
}
