// Route table: method + path template (`/repos/{owner}/{repo}`) → handler.
import type { Answer, Ctx } from './http.js';
import { notFound } from './http.js';
import type { Repo } from './model.js';

export type Handler = (ctx: Ctx) => Answer;

export interface Route {
  method: string;
  template: string;
  handler: Handler;
  resource: 'core' | 'search' | 'free'; // which rate-limit bucket it draws from
}

export function route(
  method: string,
  template: string,
  handler: Handler,
  resource: Route['resource'] = 'core',
): Route {
  return { method, template, handler, resource };
}

export interface Match {
  route: Route | undefined; // undefined when the path exists but not for this method
  template: string;
  params: Record<string, string>;
}

export function matchRoute(routes: Route[], method: string, path: string): Match | undefined {
  const segs = path.split('/').slice(1);
  let pathMatch: Match | undefined;
  for (const r of routes) {
    const tsegs = r.template.split('/').slice(1);
    if (tsegs.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < tsegs.length && ok; i++) {
      const t = tsegs[i];
      const s = segs[i];
      if (t.startsWith('{')) {
        if (s === '') ok = false;
        else params[t.slice(1, -1)] = safeDecode(s);
      } else if (t !== s) {
        ok = false;
      }
    }
    if (!ok) continue;
    if (r.method === method) return { route: r, template: r.template, params };
    pathMatch ??= { route: undefined, template: r.template, params };
  }
  return pathMatch;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// The repository a route addresses; created on first use unless the simulator says otherwise.
export function repoOf(ctx: Ctx): Repo {
  const owner = ctx.params.owner ?? '';
  const name = ctx.params.repo ?? '';
  const found = ctx.world.findRepo(owner, name);
  if (found) return found;
  if (!ctx.autoCreateRepos || !/^[A-Za-z0-9_.-]+$/.test(name)) throw notFound();
  return ctx.world.createRepo(ctx.world.user(owner), name);
}
