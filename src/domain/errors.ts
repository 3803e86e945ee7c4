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

/**
 * The one not-found error of the API: `<What> not found: <id>` with status 404. `envelope` adds
 * fields to the error body (a session read answers `session: null` besides the message).
 */
export function notFound(
  what: 'Session' | 'Incident' | 'Silence',
  id: string,
  envelope?: Record<string, unknown>,
): HealerError {
  return new HealerError(`${what.toUpperCase()}_NOT_FOUND`, 404, `${what} not found: ${id}`, {
    ...(envelope ? { details: { envelope } } : {}),
  });
}

/** Whether an error is the not-found of `notFound`. */
export const isNotFound = (err: unknown): err is HealerError =>
  err instanceof HealerError && err.statusCode === 404;
