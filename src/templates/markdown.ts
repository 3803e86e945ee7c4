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
