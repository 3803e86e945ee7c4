// Placeholders in log lines, comment and review bodies and commit messages, for values only
// known while playing: `{pr}` (number), `{pr_url}`, `{head}` (branch), `{play_id}`,
// `{repository}`, `{namespace}`. Other braces (JSON log lines) are left alone.

export interface TemplateVars {
  play_id: string;
  repository: string;
  namespace: string;
  pr?: number;
  pr_url?: string;
  head?: string;
}

const PLACEHOLDER = /\{(pr|pr_url|head|play_id|repository|namespace)\}/g;
export const PR_PLACEHOLDER = /\{(pr|pr_url|head)\}/;

export function expand(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (whole, name: keyof TemplateVars) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}
