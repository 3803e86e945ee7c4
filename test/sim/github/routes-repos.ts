// Repositories and repository labels.
import {
  HttpError,
  errorBody,
  notFound,
  obj,
  paginate,
  requireUser,
  str,
  validationFailed,
} from './http.js';
import type { Ctx } from './http.js';
import type { User } from './model.js';
import { fullRepoJson, labelJson } from './render-core.js';
import { repoOf, route } from './router.js';
import type { Route } from './router.js';

const REPO_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function createRepo(ctx: Ctx, owner: User) {
  const b = obj(ctx);
  const name = str(b.name, 'Repository', 'name', true)!;
  if (!REPO_NAME.test(name)) {
    throw validationFailed([
      { resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' },
    ]);
  }
  if (ctx.world.findRepo(owner.login, name)) {
    throw validationFailed([
      {
        resource: 'Repository',
        code: 'custom',
        field: 'name',
        message: 'name already exists on this account',
      },
    ]);
  }
  const repo = ctx.world.createRepo(owner, name, {
    description: str(b.description, 'Repository', 'description', false) ?? null,
    private: b.private === true || b.visibility === 'private',
  });
  return { status: 201, body: fullRepoJson(ctx.r, repo) };
}

const COLOR = /^[0-9a-fA-F]{6}$/;

const branchJson = (ctx: Ctx, owner: string, repo: string, name: string, sha: string) => ({
  name,
  commit: { sha, url: `${ctx.r.api}/repos/${owner}/${repo}/commits/${sha}` },
  protected: false,
});

export const repoRoutes: Route[] = [
  // Branches (`healer reset` lists the test repository's task branches and deletes them).
  route('GET', '/repos/{owner}/{repo}/branches', (ctx) => {
    const repo = repoOf(ctx);
    const all = [...repo.branches.entries()]
      .filter(([, h]) => h.length > 0)
      .sort(([a], [b]) => a.localeCompare(b));
    const page = paginate(ctx, all);
    return {
      status: 200,
      body: page.items.map(([n, h]) =>
        branchJson(ctx, ctx.params.owner, ctx.params.repo, n, h[h.length - 1]),
      ),
      headers: page.headers,
    };
  }),
  route('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', (ctx) => {
    requireUser(ctx);
    const repo = repoOf(ctx);
    const m = /^heads\/(.+)$/.exec(ctx.params.ref);
    if (!m || !repo.branches.has(m[1]))
      throw new HttpError(422, errorBody(422, 'Reference does not exist'));
    if (m[1] === repo.defaultBranch)
      throw new HttpError(422, errorBody(422, 'Cannot delete the default branch'));
    repo.branches.delete(m[1]);
    return { status: 204 };
  }),
  route('GET', '/repos/{owner}/{repo}', (ctx) => ({
    status: 200,
    body: fullRepoJson(ctx.r, repoOf(ctx)),
  })),
  route('POST', '/user/repos', (ctx) => createRepo(ctx, requireUser(ctx))),
  route('POST', '/orgs/{org}/repos', (ctx) => {
    requireUser(ctx);
    return createRepo(ctx, ctx.world.user(ctx.params.org, 'Organization'));
  }),
  route('GET', '/repos/{owner}/{repo}/labels', (ctx) => {
    const repo = repoOf(ctx);
    const page = paginate(
      ctx,
      [...repo.labels.values()].sort((a, b) => a.id - b.id),
    );
    return {
      status: 200,
      body: page.items.map((l) => labelJson(ctx.r, repo, l)),
      headers: page.headers,
    };
  }),
  route('GET', '/repos/{owner}/{repo}/labels/{name}', (ctx) => {
    const repo = repoOf(ctx);
    const l = repo.labels.get(ctx.params.name.toLowerCase());
    if (!l) throw notFound();
    return { status: 200, body: labelJson(ctx.r, repo, l) };
  }),
  route('POST', '/repos/{owner}/{repo}/labels', (ctx) => {
    requireUser(ctx);
    const repo = repoOf(ctx);
    const b = obj(ctx);
    const name = str(b.name, 'Label', 'name', true)!;
    const color = (str(b.color, 'Label', 'color', false) ?? 'ededed').replace(/^#/, '');
    if (!COLOR.test(color))
      throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }]);
    if (repo.labels.has(name.toLowerCase())) {
      throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    }
    const description = str(b.description, 'Label', 'description', false) ?? null;
    if (description !== null && description.length > 100) {
      throw new HttpError(
        422,
        errorBody(422, 'Validation Failed', undefined, {
          errors: [{ resource: 'Label', code: 'invalid', field: 'description' }],
        }),
      );
    }
    const l = ctx.world.label(repo, name, { color: color.toLowerCase(), description });
    return { status: 201, body: labelJson(ctx.r, repo, l) };
  }),
];
