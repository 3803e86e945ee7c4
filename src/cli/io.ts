/** Where a command writes; tests pass their own streams. */
export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export const processIo: Io = { out: process.stdout, err: process.stderr };

export const println = (stream: NodeJS.WritableStream, text = ''): void => {
  stream.write(`${text}\n`);
};

/** A command failure with the one-line reason printed and the exit code to use. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
