import type { PrCheck, PrComment, PrCommit, PrSnapshot } from '../../domain/pr.js';

const arr = <T>(v: unknown, ok: (x: unknown) => x is T): T[] =>
  Array.isArray(v) ? v.filter(ok) : [];
const obj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isComment = (x: unknown): x is PrComment =>
  obj(x) && typeof x.author === 'string' && typeof x.createdAt === 'string';
const isCommit = (x: unknown): x is PrCommit => obj(x) && typeof x.date === 'string';
const isCheck = (x: unknown): x is PrCheck => obj(x) && typeof x.name === 'string';

/**
 * The snapshot a PR rule may read: null when there is none, else with every list present and
 * every entry well-formed (rules never throw on odd input; the poller builds well-formed ones).
 */
export function prSnapshotOf(v: unknown): PrSnapshot | null {
  if (!obj(v)) return null;
  const s = v as Partial<PrSnapshot>;
  return {
    ...(s as PrSnapshot),
    number: typeof s.number === 'number' ? s.number : 0,
    comments: arr(s.comments, isComment),
    commits: arr(s.commits, isCommit),
    checks: arr(s.checks, isCheck),
  };
}
