/** An error with a stable code and the HTTP status it maps to; `expose` says whether its message may reach a client. */
export class HealerError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    opts: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'HealerError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = opts.details;
  }

  get expose(): boolean {
    return this.statusCode < 500;
  }
}
