/** Something that runs in the background until stopped. */
export interface BackgroundWorker {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/**
 * All of Healer's background work as one unit: workers start in the order given and stop in
 * reverse, so producers stop before what they feed. A leadership gate switches the whole unit
 * on and off; starting a started unit or stopping a stopped one does nothing.
 */
export class Background {
  readonly #workers: { name: string; worker: BackgroundWorker }[] = [];
  #started = false;
  #transition: Promise<void> = Promise.resolve();

  add(name: string, worker: BackgroundWorker | undefined): this {
    if (worker) this.#workers.push({ name, worker });
    return this;
  }

  get started(): boolean {
    return this.#started;
  }

  get names(): string[] {
    return this.#workers.map((w) => w.name);
  }

  start(): Promise<void> {
    return (this.#transition = this.#transition
      .catch(() => undefined)
      .then(async () => {
        if (this.#started) return;
        this.#started = true;
        for (const { worker } of this.#workers) await worker.start();
      }));
  }

  stop(): Promise<void> {
    return (this.#transition = this.#transition
      .catch(() => undefined)
      .then(async () => {
        if (!this.#started) return;
        this.#started = false;
        for (const { worker } of [...this.#workers].reverse()) await worker.stop();
      }));
  }
}
