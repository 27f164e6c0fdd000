/**
 * CSV text -> column table. Pure string processing (no fs), so it runs in browsers as well.
 *
 * Rules: first row is the header; fields may be quoted with `"` (a doubled `""` inside quotes is a
 * literal quote; quoted fields may hold commas and newlines); empty cells and `NA` become missing
 * (null); a column becomes numbers when every non-missing cell is an unquoted number, otherwise
 * strings. A column of quoted numbers stays text: R's `write.csv` quotes factors, so `"1","2"` is a
 * factor (as `period` in cbpp) while `1,2` is numeric. This needs to know which fields were quoted,
 * which papaparse does not report — hence this small RFC 4180 tokenizer instead of papaparse.
 */
import { DataError } from '../errors';

/** A parsed column: numbers (null = missing) or strings (null = missing). */
export type CsvColumn = (number | null)[] | (string | null)[];

/** Column name -> values, in header order. */
export type CsvTable = Record<string, CsvColumn>;

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** Cell texts read as missing (default `['', 'NA']`). */
  naStrings?: readonly string[];
  /** Treat columns of quoted numbers as text (default true; see the module comment). */
  quotedNumbersAsText?: boolean;
}

interface Cell {
  text: string;
  quoted: boolean;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(s: string): number | null {
  if (NUMBER.test(s)) return Number(s);
  if (s === 'Inf' || s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  return null;
}

/** Splits CSV text into rows of cells, remembering which cells were quoted. */
function tokenize(text: string, delim: string): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const endField = (): void => {
    row.push({ text: quoted ? field : field.trim(), quoted });
    field = '';
    quoted = false;
    fieldStarted = false;
  };
  const endRow = (): void => {
    endField();
    if (!(row.length === 1 && row[0].text === '' && !row[0].quoted)) rows.push(row);
    row = [];
  };
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted && field.trim() === '') {
      inQuotes = true;
      quoted = true;
      fieldStarted = true;
      field = '';
      i++;
      continue;
    }
    if (c === delim) {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (quoted) {
      // text after a closing quote: keep it, as most readers do
      field += c;
    } else {
      field += c;
      if (c !== ' ' && c !== '\t') fieldStarted = true;
    }
    i++;
  }
  if (inQuotes) throw new DataError(`unterminated quoted field in row ${rows.length + 1}`);
  if (field !== '' || quoted || row.length > 0) endRow();
  return rows;
}

/** Parses CSV text (header row first) into a column table. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const delim = options.delimiter ?? ',';
  const na = new Set(options.naStrings ?? ['', 'NA']);
  const quotedAsText = options.quotedNumbersAsText ?? true;
  const rows = tokenize(text, delim);
  if (rows.length === 0) throw new DataError('the CSV text is empty (no header row)');
  const header = rows[0].map((c) => c.text);
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new DataError(`column ${j + 1} of the CSV header has no name`);
    if (seen.has(h)) throw new DataError(`duplicate column name '${h}' in the CSV header`, h);
    seen.add(h);
  });
  const body = rows.slice(1);
  body.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new DataError(
        `row ${k + 1} has ${r.length} fields but the header has ${header.length}`,
        undefined,
        k + 1,
      );
    }
  });
  const table: CsvTable = {};
  header.forEach((name, j) => {
    const cells = body.map((r) => r[j]);
    const missing = cells.map((c) => na.has(c.text));
    let numeric = true;
    const nums: (number | null)[] = cells.map((c, i) => {
      if (missing[i]) return null;
      const v = c.quoted && quotedAsText ? null : parseNumber(c.text);
      if (v === null) numeric = false;
      return v;
    });
    table[name] = numeric ? nums : cells.map((c, i) => (missing[i] ? null : c.text));
  });
  return table;
}
