/**
 * CSV text -> column table. Tokenizing (header, quoted fields with delimiters, doubled quotes and
 * newlines, CRLF, a byte-order mark) is done by papaparse, which runs in browsers as well as Node;
 * this module only types the columns, as R's `read.csv` does: empty cells and `NA` are missing
 * (null); a column whose non-missing cells are all numbers becomes numbers, otherwise strings.
 * Quoting does not matter (`"1"` is the number 1, as in R): numeric codes meant as categories are
 * passed as `factors` to the fitting functions (grouping factors are always categorical).
 */
import Papa from 'papaparse';
import { DataError } from '../errors';

/** A parsed column: numbers (null = missing) or strings (null = missing). */
export type CsvColumn = (number | null)[] | (string | null)[];

/** Column name -> values, in header order. */
export type CsvTable = Record<string, CsvColumn>;

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /**
   * Field separator. Default `,`, except when the header line has no comma but a semicolon or a
   * tab (a `read.csv2`-style or tab-separated file): then that.
   */
  delimiter?: string;
  /**
   * Decimal mark of numeric cells: `.` (default), or `,` as R's `read.csv2` (the default when
   * the delimiter is `;`, given or guessed).
   */
  decimal?: '.' | ',';
  /** Cell texts read as missing (default `['', 'NA']`); compared after trimming spaces. */
  naStrings?: readonly string[];
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell's number (R's `Inf`, `-Inf`, `NaN` included), or null when it is not a number. */
function parseNumber(cell: string, decimal: '.' | ','): number | null {
  const s = decimal === ',' && !cell.includes('.') ? cell.replace(',', '.') : cell;
  if (NUMBER.test(s)) return Number(s);
  if (s === 'Inf' || s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  return null;
}

/** Our error for papaparse's quote and delimiter errors (row counted from the first data row). */
function csvError(err: Papa.ParseError): DataError {
  const row = typeof err.row === 'number' ? err.row + 1 : undefined;
  if (err.code === 'MissingQuotes') {
    return new DataError(
      `unterminated quoted field${row ? ` in data row ${row}` : ''}`,
      undefined,
      row,
    );
  }
  return new DataError(
    `malformed CSV${row ? ` in data row ${row}` : ''}: ${err.message}`,
    undefined,
    row,
  );
}

/** `,` unless the header line has none and has a `;` or a tab (the first of them). */
function guessDelimiter(body: string): string {
  const end = body.search(/\r?\n/);
  const header = end < 0 ? body : body.slice(0, end);
  if (header.includes(',')) return ',';
  const semicolon = header.indexOf(';');
  const tab = header.indexOf('\t');
  if (semicolon < 0 && tab < 0) return ',';
  if (semicolon < 0) return '\t';
  if (tab < 0) return ';';
  return semicolon < tab ? ';' : '\t';
}

/** Parses CSV text (header row first) into a column table. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const na = new Set(options.naStrings ?? ['', 'NA']);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError('the CSV text is empty (no header row)');
  const delimiter = options.delimiter ?? guessDelimiter(body);
  const decimal = options.decimal ?? (delimiter === ';' ? ',' : '.');
  // Check the header first: papaparse would rename duplicates (a, a_1) with a console warning.
  const head = Papa.parse<string[]>(body, { header: false, preview: 1, delimiter });
  const header = (head.data[0] ?? []).map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new DataError(`column ${j + 1} of the CSV header has no name`);
    if (seen.has(h)) throw new DataError(`duplicate column name '${h}' in the CSV header`, h);
    seen.add(h);
  });
  const result = Papa.parse<Record<string, string | undefined>>(body, {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: false,
    delimiter,
    transformHeader: (h: string) => h.trim(),
  });
  for (const err of result.errors) {
    if (err.code === 'TooFewFields' || err.code === 'TooManyFields') {
      const row = (err.row ?? 0) + 1;
      const fields = countFields(result.data[err.row ?? 0], header);
      throw new DataError(
        `row ${row} has ${fields} fields but the header has ${header.length}`,
        undefined,
        row,
      );
    }
    if (err.type === 'Quotes' || err.type === 'Delimiter') throw csvError(err);
  }
  const rows = result.data;
  const table: CsvTable = {};
  for (const name of header) {
    const cells = rows.map((r) => (r[name] ?? '').trim());
    const missing = cells.map((c) => na.has(c));
    let numeric = true;
    const nums: (number | null)[] = cells.map((c, i) => {
      if (missing[i]) return null;
      const v = parseNumber(c, decimal);
      if (v === null) numeric = false;
      return v;
    });
    table[name] = numeric ? nums : cells.map((c, i) => (missing[i] ? null : c));
  }
  return table;
}

/** Number of fields papaparse found in a ragged row (extra fields land in `__parsed_extra`). */
function countFields(row: Record<string, unknown> | undefined, header: readonly string[]): number {
  if (!row) return 0;
  const extra = row.__parsed_extra;
  const present = header.filter((h) => row[h] !== undefined).length;
  return present + (Array.isArray(extra) ? extra.length : 0);
}
