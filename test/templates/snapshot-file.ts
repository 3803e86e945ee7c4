import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a template test keeps its snapshots: `tap-snapshots/test/templates/<test>.snap`, tap's own
 * format, but not a `.cjs` name, so that `eslint .` does not try to type-check generated files.
 */
export const snapshotFileFor = (testUrl: string): string =>
  fileURLToPath(
    new URL(
      `../../tap-snapshots/test/templates/${basename(fileURLToPath(testUrl), '.ts')}.snap`,
      import.meta.url,
    ),
  );
