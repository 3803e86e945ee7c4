import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * A Writable that splits what it receives into lines and hands each chunk's complete lines to
 * `onLines` (awaited: backpressure). It also watches the Readable piped into it, because
 * `pipe()` does not forward a source's error: `done` is called once, with the error when the
 * source failed (connection reset, abort) and without one when it ended cleanly.
 */
export class LineWriter extends Writable {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';
  #done: ((err?: Error) => void) | null;

  constructor(
    readonly onLines: (lines: string[]) => Promise<void> | void,
    done: (err?: Error) => void,
  ) {
    super();
    this.#done = done;
    this.on('pipe', (src: Readable) => {
      src.once('error', (err) => this.#finish(err));
    });
    this.once('finish', () => this.#finish());
    this.once('error', (err) => this.#finish(err));
  }

  #finish(err?: Error): void {
    const done = this.#done;
    this.#done = null;
    done?.(err);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const text = this.#partial + this.#decoder.write(chunk);
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    this.#emit(parts, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    this.#emit(rest ? [rest] : [], cb);
  }

  #emit(lines: string[], cb: (err?: Error | null) => void): void {
    const clean = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (!clean.length) return cb();
    Promise.resolve()
      .then(() => this.onLines(clean))
      .then(
        () => cb(),
        () => cb(), // the consumer logs its own failures; reading goes on
      );
  }
}
