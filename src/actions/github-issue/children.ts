// A cause group's children as its parent's issue lists them (issue #17): in the body when the
// issue is written, and in a `children` comment for those that join the cause later.
import { createHash } from 'node:crypto';
import type { Incident } from '../../domain/incident.js';
import type { IncidentStore } from '../../domain/stores.js';
import { causeOf, childIds } from '../../incidents/grouping.js';
import type { ChildView } from '../../templates/index.js';
import { dashboardLink } from '../handler.js';

/** Children named in one body or comment, at most (a cause with more lists the first ones). */
const MAX_LISTED = 100;
/** Evidence lines quoted per child in a `children` comment. */
const EVIDENCE_PER_CHILD = 20;

export type ChildStore = Pick<IncidentStore, 'getIncident'>;

/**
 * The incidents `ids` as the templates list them, and their latest evidence (each line prefixed
 * with its incident). Without a store, or for an incident gone from it, only the id is known.
 */
export async function childViews(
  store: ChildStore | null | undefined,
  ids: readonly string[],
  dashboardUrl: string | null,
): Promise<{ children: ChildView[]; evidence: string[] }> {
  const listed = ids.slice(0, MAX_LISTED);
  const found = await Promise.all(
    listed.map((id) => (store ? store.getIncident(id) : Promise.resolve(undefined))),
  );
  const children = listed.map((id, n): ChildView => {
    const c = found[n];
    return {
      id,
      alert: c?.alert ?? '',
      agent: c?.agent ?? null,
      playId: c?.playId ?? null,
      title: c?.title ?? '(no longer recorded)',
      url: dashboardLink(dashboardUrl, id),
    };
  });
  const evidence = found.flatMap((c) =>
    c ? c.evidence.slice(-EVIDENCE_PER_CHILD).map((l) => `[${c.id}] ${l}`) : [],
  );
  return { children, evidence };
}

/** The children a parent's issue body lists: those it was last recorded with; none for others. */
export const bodyChildren = (
  store: ChildStore | null | undefined,
  incident: Incident,
  dashboardUrl: string | null,
): Promise<ChildView[]> =>
  causeOf(incident)
    ? childViews(store, childIds(incident), dashboardUrl).then((v) => v.children)
    : Promise.resolve([]);

/** Tells one `children` comment from another of the same issue: which incidents it names. */
export const childrenDigest = (ids: readonly string[]): string =>
  createHash('sha256')
    .update([...ids].sort().join(','))
    .digest('hex')
    .slice(0, 12);
