// GET /search/issues: qualifiers repo:, is:, type:, state:, label:, -label:, in:, author:, no:label,
// plus bare words and "quoted phrases" matched as whole words in title/body/comments. Like GitHub,
// text is tokenised on punctuation, so `"healer:fingerprint=ab12"` matches that marker in a body.
import { HttpError, errorBody, paginate, sortBy, validationFailed } from './http.js';
import type { Ctx } from './http.js';
import type { Issue, Repo } from './model.js';
import { searchItemJson } from './render-issues.js';
import { route } from './router.js';
import type { Route } from './router.js';

const SEARCH_DOCS = 'https://docs.github.com/rest/search/search#search-issues-and-pull-requests';
const QUALIFIERS = new Set([
  'repo',
  'is',
  'type',
  'state',
  'label',
  'in',
  'author',
  'user',
  'org',
  'no',
  'assignee',
]);

interface Query {
  repos: string[];
  owners: string[];
  kinds: Array<'issue' | 'pr'>;
  states: string[];
  labels: string[][]; // every group must match one of its names
  notLabels: string[];
  fields: Array<'title' | 'body' | 'comments'>;
  authors: string[];
  noLabel: boolean;
  terms: string[][]; // token sequences
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function splitQuery(q: string): string[] {
  return [...q.matchAll(/-?[A-Za-z_]+:"[^"]*"|"[^"]*"|\S+/g)].map((m) => m[0]);
}

function parse(q: string): Query {
  const out: Query = {
    repos: [],
    owners: [],
    kinds: [],
    states: [],
    labels: [],
    notLabels: [],
    fields: [],
    authors: [],
    noLabel: false,
    terms: [],
  };
  for (const raw of splitQuery(q)) {
    const m = /^(-?)([A-Za-z_]+):(.*)$/.exec(raw);
    if (m && QUALIFIERS.has(m[2].toLowerCase()) && m[3] !== '') {
      const neg = m[1] === '-';
      const key = m[2].toLowerCase();
      const value = m[3].replace(/^"(.*)"$/, '$1');
      const v = value.toLowerCase();
      if (key === 'repo') out.repos.push(v);
      else if (key === 'user' || key === 'org') out.owners.push(v);
      else if (
        (key === 'is' || key === 'type') &&
        (v === 'issue' || v === 'pr' || v === 'pull-request')
      )
        out.kinds.push(v === 'issue' ? 'issue' : 'pr');
      else if ((key === 'is' || key === 'state') && (v === 'open' || v === 'closed'))
        out.states.push(v);
      else if (key === 'label' && neg) out.notLabels.push(v);
      else if (key === 'label') out.labels.push(v.split(','));
      else if (key === 'in')
        out.fields.push(
          ...(v
            .split(',')
            .filter((f) => ['title', 'body', 'comments'].includes(f)) as Query['fields']),
        );
      else if (key === 'author') out.authors.push(v);
      else if (key === 'no' && v === 'label') out.noLabel = true;
      continue;
    }
    const tokens = words(raw.replace(/^"(.*)"$/, '$1'));
    if (tokens.length) out.terms.push(tokens);
  }
  return out;
}

function containsSeq(hay: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function matches(q: Query, i: Issue): boolean {
  if (q.kinds.length && !q.kinds.includes(i.pull ? 'pr' : 'issue')) return false;
  if (q.states.length && !q.states.includes(i.state)) return false;
  if (!q.labels.every((group) => group.some((l) => i.labels.includes(l)))) return false;
  if (q.notLabels.some((l) => i.labels.includes(l))) return false;
  if (q.noLabel && i.labels.length) return false;
  if (q.authors.length && !q.authors.includes(i.user.login.toLowerCase())) return false;
  if (!q.terms.length) return true;
  const fields = q.fields.length ? q.fields : ['title', 'body', 'comments'];
  const texts: string[][] = [];
  if (fields.includes('title')) texts.push(words(i.title));
  if (fields.includes('body')) texts.push(words(i.body ?? ''));
  if (fields.includes('comments')) for (const c of i.comments) texts.push(words(c.body));
  return q.terms.every((t) => texts.some((hay) => containsSeq(hay, t)));
}

function search(ctx: Ctx) {
  const raw = ctx.query.get('q') ?? '';
  if (raw.trim() === '')
    throw validationFailed([{ resource: 'Search', field: 'q', code: 'missing' }], SEARCH_DOCS);
  if (raw.length > 256) {
    throw validationFailed(
      [
        {
          resource: 'Search',
          field: 'q',
          code: 'invalid',
          message: 'The search is longer than 256 characters.',
        },
      ],
      SEARCH_DOCS,
    );
  }
  const q = parse(raw);
  const repos: Repo[] = [];
  for (const r of q.repos) {
    const [owner, name] = r.split('/');
    const repo = owner && name ? ctx.world.findRepo(owner, name) : undefined;
    if (!repo) {
      throw new HttpError(
        422,
        errorBody(422, 'Validation Failed', SEARCH_DOCS, {
          errors: [
            {
              message:
                'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
              resource: 'Search',
              field: 'q',
              code: 'invalid',
            },
          ],
        }),
      );
    }
    repos.push(repo);
  }
  const scope = repos.length
    ? repos
    : [...ctx.world.repos.values()].filter(
        (r) => !q.owners.length || q.owners.includes(r.owner.login.toLowerCase()),
      );
  // New issues reach the search index `searchLagMs` after their creation.
  const horizon = new Date(ctx.world.now().getTime() - ctx.searchLagMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  let hits: Array<{ repo: Repo; issue: Issue }> = [];
  for (const repo of scope) {
    for (const issue of repo.issues.values()) {
      if (ctx.searchLagMs > 0 && issue.createdAt > horizon) continue;
      if (matches(q, issue)) hits.push({ repo, issue });
    }
  }
  const sort = ctx.query.get('sort');
  const order = ctx.query.get('order') === 'asc' ? 'asc' : 'desc';
  if (sort === 'created' || sort === 'updated' || sort === 'comments') {
    hits = sortBy(
      hits,
      (h) =>
        (sort === 'comments'
          ? String(h.issue.comments.length).padStart(9, '0')
          : sort === 'created'
            ? h.issue.createdAt
            : h.issue.updatedAt) + `|${h.issue.id}`,
      order,
    );
  } else {
    hits = sortBy(hits, (h) => `${h.issue.updatedAt}|${h.issue.id}`, 'desc');
  }
  const page = paginate(ctx, hits.slice(0, 1000));
  return {
    status: 200,
    body: {
      total_count: hits.length,
      incomplete_results: false,
      // Key order matters: octokit.paginate takes the first other key as the list.
      items: page.items.map((h) => searchItemJson(ctx.r, h.repo, h.issue)),
      search_type: 'lexical',
    },
    headers: page.headers,
  };
}

export const searchRoutes: Route[] = [route('GET', '/search/issues', search, 'search')];
