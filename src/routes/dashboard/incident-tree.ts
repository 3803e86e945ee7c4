import type { Incident } from '../../domain/incident.js';
import { redact } from '../../domain/redact.js';
import { esc } from './format.js';

/**
 * The incident's place in a tree (issue #17): the parent it is a child of (the cause group it was
 * grouped under, or the incident that inhibits it as a symptom), and its own children.
 */
export interface IncidentTree {
  parent: { incident: Incident; relation: 'grouped' | 'inhibited' } | null;
  children: { incident: Incident; relation: 'grouped' | 'inhibited' }[];
}

const RELATION = {
  grouped: 'shares the cause',
  inhibited: 'symptom (inhibited)',
} as const;

const row = (i: Incident, relation: keyof typeof RELATION): string =>
  `<li class="tree-node" data-id="${esc(i.id)}" data-relation="${relation}">` +
  `<a href="/incidents/${encodeURIComponent(i.id)}">${esc(i.id)}</a> ` +
  `<span class="sev sev-${esc(i.severity)}">${esc(i.severity)}</span> ` +
  `<span class="state state-${esc(i.state)}">${esc(i.state)}</span> ` +
  `${esc(i.alert)} · ${esc(redact(i.title))}` +
  `${i.agent ? ` · ${esc(i.agent)}` : ''}${i.playId ? ` · ${esc(i.playId)}` : ''}` +
  ` <span class="muted">${RELATION[relation]}</span></li>`;

/** The tree section of the incident page; empty when the incident has no parent and no children. */
export function renderIncidentTree(self: Incident, tree: IncidentTree | undefined): string {
  if (!tree || (!tree.parent && tree.children.length === 0)) return '';
  const cause = self.context.cause_key;
  const head = tree.parent
    ? `<ul class="tree"><li class="tree-node tree-parent">${tree.parent.relation === 'grouped' ? 'Cause group' : 'Inhibited by'}: <a href="/incidents/${encodeURIComponent(tree.parent.incident.id)}">${esc(tree.parent.incident.id)}</a> ${esc(tree.parent.incident.alert)} · ${esc(redact(tree.parent.incident.title))} <span class="state state-${esc(tree.parent.incident.state)}">${esc(tree.parent.incident.state)}</span><ul><li class="tree-node tree-self"><strong>this incident</strong></li></ul></li></ul>`
    : '';
  const kids = tree.children.length
    ? `<p>${typeof cause === 'string' ? `Incidents of the cause <code>${esc(redact(cause))}</code>` : 'Children'}: ${tree.children.length}</p><ul class="tree tree-children">${tree.children.map((c) => row(c.incident, c.relation)).join('')}</ul>`
    : '';
  return `<section class="panel" aria-labelledby="tree-h"><h2 id="tree-h">Related incidents <span class="count">${(tree.parent ? 1 : 0) + tree.children.length}</span></h2>${head}${kids}</section>`;
}
