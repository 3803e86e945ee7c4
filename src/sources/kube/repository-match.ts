/** Correlation rule 4's guard: the object's repository/service labels match the session's. */
import type { Session } from '../../domain/session.js';
import { labelsOf, specString } from './object-meta.js';

/** `https://github.com/5dlabs/cto.git` → `5dlabs/cto`; lower case. */
export const normaliseRepo = (r: string): string =>
  r
    .trim()
    .toLowerCase()
    .replace(/^(https?:\/\/|git@)?(www\.)?github\.com[/:]/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');

/** The forms a repository takes in a label value (no `/` allowed there). */
function repoForms(repository: string): Set<string> {
  const full = normaliseRepo(repository);
  const [owner = '', name = ''] = full.split('/');
  const forms = new Set([full]);
  if (owner && name) for (const sep of ['-', '_', '.']) forms.add(`${owner}${sep}${name}`);
  if (name) forms.add(name);
  return forms;
}

/** True unless the object names a repository or service that differs from the session's. */
export function matchesRepoAndService(object: unknown, session: Session): boolean {
  const labels = labelsOf(object);
  const repo = labels['repository'] || specString(object, 'repositoryUrl');
  if (repo && session.repository && !repoForms(session.repository).has(normaliseRepo(repo)))
    return false;
  const service =
    labels['service'] || labels['agents.platform/service'] || specString(object, 'service');
  if (service && session.service && service.toLowerCase() !== session.service.toLowerCase())
    return false;
  return true;
}
