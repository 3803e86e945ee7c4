/**
 * Tidies rendered Markdown: trailing spaces removed and runs of blank lines collapsed to one,
 * except inside fenced code blocks, whose content (evidence) is kept byte for byte.
 */
export function tidyMarkdown(text: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const raw of text.split('\n')) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence !== null) {
      out.push(raw);
      if (
        opener &&
        opener[0] === fence[0] &&
        opener.length >= fence.length &&
        raw.trim() === opener
      )
        fence = null;
      continue;
    }
    if (opener) fence = opener;
    const line = raw.replace(/[ \t]+$/, '');
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/**
 * Text built with values from outside Healer (names and reasons from the cluster, GitHub logins)
 * made inert as Markdown wherever it is shown outside a code block: no mention (`@name` gets a
 * zero-width joiner), no link, image or HTML (`](`/`][` broken, `<`, `>` and backticks escaped), no
 * autolink (the `://` of a URL broken). Log lines themselves never get here: they stay in the
 * fenced evidence.
 */
export function inertMarkdown(text: string): string {
  return text
    .replace(/[\\`<>]/g, (c) => `\\${c}`)
    .replace(/\](?=[([])/g, ']\\')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200d')
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1:\u200d//');
}

/**
 * Markers Healer itself writes around untrusted data and to find its issues, defused wherever
 * they occur inside untrusted text, so a log line cannot end the fence early or claim an issue.
 */
export function defuseMarkerText(text: string): string {
  return text
    .replace(/healer:fingerprint=/gi, 'healer: fingerprint=')
    .replace(/untrusted-data:/gi, 'untrusted-data\u200d:');
}
