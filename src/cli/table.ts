// `--output table|json|yaml` for the read commands: one helper so every command prints the same
// three ways. A table has a header row and columns padded to their widest cell; json and yaml print
// the records themselves (the API's field names), for scripts.
import { Option } from 'commander';
import { stringify } from 'yaml';
import { CliError, println, type Io } from './io.js';

export const OUTPUTS = ['table', 'json', 'yaml'] as const;
export type Output = (typeof OUTPUTS)[number];

/** The `-o, --output <format>` option, table by default. */
export const outputOption = (): Option =>
  new Option('-o, --output <format>', 'table, json or yaml').choices(OUTPUTS).default('table');

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

const cell = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined || v === '' ? '-' : String(v).replace(/\s+/g, ' ');

/** The rows as a padded text table (header first); "no <what>" when there are none. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}

/**
 * Prints `data` as asked: `table` uses `columns` over `rows` (a list) or, for one record, a
 * two-column field/value listing; json and yaml print `data` as it is.
 */
export function printOutput<T>(
  io: Io,
  format: string,
  data: unknown,
  table: { rows: readonly T[]; columns: readonly Column<T>[]; empty?: string },
): void {
  if (format === 'json') return println(io.out, JSON.stringify(data, null, 2));
  if (format === 'yaml') return void io.out.write(stringify(data));
  if (format !== 'table')
    throw new CliError(`--output must be table, json or yaml, got "${format}"`, 2);
  if (table.rows.length === 0 && table.empty) return println(io.out, table.empty);
  for (const l of formatTable(table.rows, table.columns)) println(io.out, l);
}
