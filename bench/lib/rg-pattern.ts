/**
 * A catalogue pattern for ripgrep's `(?-u)` mode (`bench/classify.ts` times rg with the same
 * patterns as the classifier). rg refuses non-ASCII characters there ("Unicode not allowed here"),
 * so a character class or a run of characters outside ASCII (`[✗✘]`, `🔴`, `×`) gets its Unicode
 * mode back locally, `(?u:…)`; the rest keeps ASCII `\b \w \d` like the JavaScript regex.
 *
 * An escape is read as one token, so `\[` is a bracket and a class starts only at an unescaped
 * `[` (`make(?:\[\d+\])?: … 错误 … [1-9]` is not one long class).
 */
export const asciiMode = (p: string): string =>
  p.replace(/\\.|\[(?:\\.|[^\]\\])*\]|[\u0080-\uffff]+/g, (m) =>
    /[\u0080-\uffff]/.test(m) ? `(?u:${m})` : m,
  );
