import fp from 'fastify-plugin';

/** The background work around the app's life (the leadership that runs watches, timers, outbox). */
export interface BackgroundHooks {
  /** Start with the app (`healer serve`); tests and CLI passes start it themselves. */
  startOnReady: boolean;
  start: () => Promise<void>;
  /** Shutdown begins: stop the work while requests in flight finish (resolves when stopped). */
  stop: () => Promise<void>;
  /** After the work stopped and the last request was answered: what is left, then the store. */
  close: () => Promise<void>;
}

/**
 * Background work the Fastify way: started in `onReady` (when asked to), stopped from `preClose`
 * (so it stops while requests drain) and awaited, with the store closed, in `onClose`.
 */
export const backgroundPlugin = fp<BackgroundHooks>(
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app, hooks) => {
    let stopping: Promise<void> | undefined;
    if (hooks.startOnReady) app.addHook('onReady', () => hooks.start());
    app.addHook('preClose', (done) => {
      stopping = hooks.stop();
      // the stop is awaited in onClose; a failure is reported there
      stopping.catch(() => undefined);
      done();
    });
    app.addHook('onClose', async () => {
      await (stopping ?? hooks.stop());
      await hooks.close();
    });
  },
  { name: 'healer-background', fastify: '5.x' },
);
