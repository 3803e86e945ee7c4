// The start-up report of the secret rules (patterns/secrets/gitleaks.toml): every rule compiled
// now, one line with the counts, and one warning per rule that does not compile — a rule is never
// dropped without saying so.
import { compileAll, gitleaksRules, gitleaksStatus } from '../domain/redact-gitleaks.js';

interface StartLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Compiles the secret rules and logs what was loaded; returns how many rules failed. */
export function reportSecretRules(logger: StartLogger): number {
  const rules = gitleaksRules();
  if (rules) compileAll(rules);
  const s = gitleaksStatus();
  if (s.error) {
    logger.error(
      { source: s.source, error: s.error },
      'secret rules not loaded: only the built-in redaction families run',
    );
    return 0;
  }
  for (const f of s.failed)
    logger.warn(
      { rule: f.id, source: s.source, error: f.error },
      `secret rule ${f.id} does not compile and is skipped: ${f.error}`,
    );
  logger.info(
    { source: s.source, rules: s.rules, path_only: s.pathOnly, failed: s.failed.length },
    `secret rules loaded: ${s.rules - s.failed.length} of ${s.rules} compiled${s.failed.length ? ` (${s.failed.length} skipped, named above)` : ''}`,
  );
  return s.failed.length;
}
