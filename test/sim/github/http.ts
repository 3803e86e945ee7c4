// Request context, answers and errors shared by the route handlers, in GitHub's REST style.
import type { User, World } from './model.js';
import type { RenderCtx } from './render-core.js';

export const DOCS = 'https://docs.github.com/rest';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Ctx {
  method: string;
  path: string;
  route: string; // the template, e.g. /repos/{owner}/{repo}/pulls/{pull_number}
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  user: User | null;
  world: World;
  r: RenderCtx;
  autoCreateRepos: boolean;
  searchLagMs: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

export function errorBody(
  status: number,
  message: string,
  docs = DOCS,
  extra: Record<string, unknown> = {},
) {
  return { message, ...extra, documentation_url: docs, status: String(status) };
}

export const notFound = (): HttpError => new HttpError(404, errorBody(404, 'Not Found'));

export interface FieldError {
  resource: string;
  field?: string;
  code: string;
  value?: unknown;
  message?: string;
}

export function validationFailed(errors: Array<FieldError | string>, docs = DOCS): HttpError {
  return new HttpError(422, errorBody(422, 'Validation Failed', docs, { errors }));
}

export function unprocessable(message: string, errors?: string[], docs = DOCS): HttpError {
  return new HttpError(422, errorBody(422, message, docs, errors ? { errors } : {}));
}

export function requireUser(ctx: Ctx): User {
  if (!ctx.user) throw new HttpError(401, errorBody(401, 'Requires authentication'));
  return ctx.user;
}

export function obj(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw new HttpError(
      400,
      errorBody(400, 'Invalid request.\n\nInvalid input: object is expected.'),
    );
  }
  return b as Record<string, unknown>;
}

export function str(
  v: unknown,
  resource: string,
  field: string,
  required: boolean,
): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw validationFailed([{ resource, code: 'missing_field', field }]);
    return undefined;
  }
  if (typeof v !== 'string') {
    throw new HttpError(
      422,
      errorBody(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a string.`),
    );
  }
  if (required && v.trim() === '')
    throw validationFailed([{ resource, code: 'missing_field', field }]);
  return v;
}

export function intParam(ctx: Ctx, name: string): number {
  const v = ctx.params[name] ?? '';
  if (!/^\d+$/.test(v)) throw notFound();
  return Number(v);
}

// Page of a list plus its Link header, as GitHub paginates (`per_page` ≤ 100, default 30).
export function paginate<T>(
  ctx: Ctx,
  items: T[],
  defaultPerPage = 30,
): { items: T[]; headers: Record<string, string> } {
  const perRaw = Number(ctx.query.get('per_page') ?? defaultPerPage);
  const perPage = Math.min(
    100,
    Math.max(1, Number.isFinite(perRaw) && perRaw > 0 ? Math.floor(perRaw) : defaultPerPage),
  );
  const pageRaw = Number(ctx.query.get('page') ?? 1);
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? Math.floor(pageRaw) : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(ctx.query);
    q.set('per_page', String(perPage));
    q.set('page', String(p));
    return `<${ctx.r.api}${ctx.path}?${q.toString()}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) rels.push(link(1, 'first'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length ? { link: rels.join(', ') } : {},
  };
}

export function sortBy<T>(
  items: T[],
  key: (t: T) => string | number,
  direction: 'asc' | 'desc',
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}
