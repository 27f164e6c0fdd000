/**
 * Emulation of the parts of R's number formatting and printing that lme4's `print(summary(m))`
 * relies on: `format()` of a numeric vector (formatReal), `round`, `signif`, `zapsmall`,
 * `quantile(type = 7)`, `format.pval`, `abbreviate`, `strwrap`, `cat(fill = TRUE)` and the
 * layout of `print()` for named vectors and character matrices. Width is R's default 80.
 *
 * The aim is byte-identical output for the numbers lme4 prints; where R's C code rounds exact
 * binary ties to even and JavaScript rounds them away from zero, output may differ in the last
 * digit (exact ties are rare for fitted quantities).
 */

/** R's default `getOption("width")`. */
export const R_WIDTH = 80;

interface SciInfo {
  neg: boolean;
  kpower: number;
  nsig: number;
  roundingWidens: boolean;
}

/** R's `scientific()` (format.c): exponent and significant digits needed at `digits`. */
function scientific(x: number, digits: number): SciInfo {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const neg = x < 0;
  const ax = Math.abs(x);
  const s = ax.toExponential(Math.max(0, Math.min(digits, 22) - 1));
  const [mant, ex] = s.split('e');
  const kpower = Number(ex);
  const mdigits = mant.replace('.', '');
  let nsig = mdigits.length;
  while (nsig > 1 && mdigits[nsig - 1] === '0') nsig--;
  // The value rounds up to 10^kpower in E format but not necessarily in F format.
  const roundingWidens = kpower > 0 && kpower <= 22 && ax < Math.pow(10, kpower);
  return { neg, kpower, nsig, roundingWidens };
}

/** How R would format a numeric vector: fixed or scientific, decimals, width. */
export interface RealFormat {
  /** Field width shared by all elements. */
  width: number;
  /** Digits after the decimal point (fixed) or of the mantissa (scientific). */
  decimals: number;
  /** 0 = fixed; 1 = two-digit exponent; 2 = three-digit exponent. */
  exponent: number;
}

/** R's `formatReal`: the common format of `x` at `digits` significant digits. */
export function formatRealInfo(x: readonly number[], digits = 7, nsmall = 0): RealFormat {
  let naWidth = 0;
  let neg = false;
  let rgt = -Infinity;
  let mxsl = -Infinity;
  let mxl = -Infinity;
  let mxns = -Infinity;
  let mxe = -Infinity;
  let mne = Infinity;
  let anyFinite = false;
  for (const v of x) {
    if (!Number.isFinite(v)) {
      const w = Number.isNaN(v) || v > 0 ? 3 : 4;
      naWidth = Math.max(naWidth, w);
      continue;
    }
    anyFinite = true;
    const s = scientific(v, digits);
    let left = s.kpower + 1;
    if (s.roundingWidens) left--;
    const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
    const right = s.nsig - left;
    if (s.neg) neg = true;
    rgt = Math.max(rgt, right);
    mxl = Math.max(mxl, left);
    mxsl = Math.max(mxsl, sleft);
    mxns = Math.max(mxns, s.nsig);
    mxe = Math.max(mxe, s.kpower);
    mne = Math.min(mne, s.kpower);
  }
  if (!anyFinite) return { width: naWidth, decimals: 0, exponent: 0 };
  if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
  if (rgt < 0) rgt = 0;
  let wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
  const e = mxe >= 100 || mne <= -99 ? 2 : 1;
  const d = mxns - 1;
  const wE = (neg ? 1 : 0) + (d > 0 ? 1 : 0) + d + 4 + e;
  if (wF <= wE) {
    if (nsmall > rgt) {
      rgt = nsmall;
      wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
    }
    return { width: Math.max(wF, naWidth), decimals: rgt, exponent: 0 };
  }
  return { width: Math.max(wE, naWidth), decimals: d, exponent: e };
}

function nonFinite(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Inf' : '-Inf';
}

/** One number in a given format, not padded. */
export function encodeReal(v: number | null, f: RealFormat): string {
  if (v === null || v === undefined) return 'NA';
  if (!Number.isFinite(v)) return nonFinite(v);
  if (f.exponent === 0) return v.toFixed(f.decimals);
  const s = v.toExponential(f.decimals);
  const [mant, ex] = s.split('e');
  const sign = ex[0] === '-' ? '-' : '+';
  const digitsOfExp = ex.replace(/^[+-]/, '').padStart(f.exponent + 1, '0');
  return `${mant}e${sign}${digitsOfExp}`;
}

/** R's `format(x, digits, nsmall)` for a numeric vector: common width, right-justified. */
export function formatNumbers(x: readonly number[], digits = 7, nsmall = 0): string[] {
  const f = formatRealInfo(x, digits, nsmall);
  return x.map((v) => encodeReal(v, f).padStart(f.width));
}

/** R's `format(x, digits)` for a single number (also what `cat()` prints, at digits 7). */
export function formatNumber(x: number, digits = 7): string {
  return formatNumbers([x], digits)[0];
}

/** R's `round(x, digits)` (decimal places; negative digits round to tens, hundreds, ...). */
export function roundR(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) {
    const p = Math.pow(10, -digits);
    return Math.round(x / p) * p;
  }
  if (digits > 100) return x;
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}

/** R's `signif(x, digits)`. */
export function signifR(x: number, digits = 6): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(Math.max(1, Math.min(100, digits))));
}

/**
 * R's `zapsmall(x, digits)`: round so that values tiny relative to the largest become 0.
 * As R 4.2 (the R of lme4 1.1-31 here): `round(x, digits - log10(max|x|))` without `ceiling()`,
 * and `round()` takes the nearest whole number of decimals — so residual quantiles whose largest
 * magnitude is below sqrt(10) keep one more decimal (R >= 4.4 adds the `ceiling()`).
 */
export function zapsmall(x: readonly number[], digits = 7): number[] {
  const finite = x.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return x.slice();
  const mx = Math.max(...finite.map(Math.abs));
  const d = mx > 0 ? Math.max(0, Math.floor(digits - Math.log10(mx) + 0.5)) : digits;
  return x.map((v) => roundR(v, d));
}

/** R's `quantile(x, probs, type = 7)`; missing (NaN) values are dropped. */
export function quantile7(x: ArrayLike<number>, probs: readonly number[]): number[] {
  // a typed array sorts numerically and natively (residuals of 10⁵-10⁶ rows)
  const s = Float64Array.from(x).filter((v) => !Number.isNaN(v)).sort();
  const n = s.length;
  if (n === 0) return probs.map(() => NaN);
  return probs.map((p) => {
    // R: index <- 1 + (n - 1) * probs; qs <- (1 - h) * x[lo] + h * x[hi]
    const index = (n - 1) * p;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const h = index - lo;
    if (h === 0 || s[hi] === s[lo]) return s[lo];
    return (1 - h) * s[lo] + h * s[hi];
  });
}

/** R's `format.pval(pv, digits, eps)`. */
export function formatPval(pv: readonly number[], digits: number, eps = Number.EPSILON): string[] {
  const out = new Array<string>(pv.length).fill('NA');
  const idx = pv.map((_, i) => i).filter((i) => !Number.isNaN(pv[i]));
  const small = idx.filter((i) => pv[i] < eps);
  const rest = idx.filter((i) => !(pv[i] < eps));
  const fixp: number[] = [];
  const sci: number[] = [];
  for (const i of rest) {
    const p = pv[i];
    const expo = Math.floor(Math.log10(p > 0 ? p : 1e-50));
    if (expo >= -3 || (expo === -4 && digits > 1)) fixp.push(i);
    else sci.push(i);
  }
  for (const group of [fixp, sci]) {
    if (group.length === 0) continue;
    const f = formatNumbers(
      group.map((i) => pv[i]),
      digits,
    );
    group.forEach((i, k) => (out[i] = f[k]));
  }
  if (small.length > 0) {
    let d = Math.max(1, digits - 2);
    let sep: string;
    if (rest.length > 0) {
      const nc = Math.max(...rest.map((i) => out[i].length));
      if (d > 1 && d + 6 > nc) d = Math.max(1, nc - 7);
      sep = d === 1 && nc <= 6 ? '' : ' ';
    } else sep = d === 1 ? '' : ' ';
    const e = formatNumber(eps, d);
    for (const i of small) out[i] = `<${sep}${e}`;
  }
  return out;
}

/** Significance stars as R's `symnum` in `printCoefmat`. */
export function signifStars(p: number): string {
  if (Number.isNaN(p)) return '';
  if (p <= 0.001) return '***';
  if (p <= 0.01) return '**';
  if (p <= 0.05) return '*';
  if (p <= 0.1) return '.';
  return ' ';
}

/** The legend line `printCoefmat` prints under a table with stars. */
export const SIGNIF_LEGEND =
  'Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 \u2018.\u2019 0.1 \u2018 \u2019 1';

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isLowerVowel = (c: string | undefined): boolean =>
  c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

/** R's C-level `stripchars` (one name, `use.classes = TRUE`). */
function stripChars(name: string, minlen: number): string {
  const b: (string | undefined)[] = name.split('');
  const strlen = (): number => {
    const k = b.indexOf('\0');
    return k < 0 ? b.length : k;
  };
  const at = (i: number): string | undefined => {
    const L = strlen();
    return i >= 0 && i < L ? b[i] : undefined;
  };
  const remove = (i: number): void => {
    if (i < strlen()) b.splice(i, 1);
  };
  const firstChar = (i: number): boolean => isSpace(at(i - 1));
  const lastChar = (i: number): boolean =>
    !isSpace(at(i - 1)) && (at(i + 1) === undefined || isSpace(at(i + 1)));
  let nspace = 0;
  const done = (): boolean => strlen() - nspace <= minlen;
  const finish = (): string => {
    let s = b.slice(0, strlen()).join('');
    if (s.length > minlen) s = s[0] + s.slice(1).replace(/\s/g, '');
    return s;
  };
  if (strlen() < minlen) return finish();
  const upper = strlen() - 1;
  let trailing = true;
  for (let i = upper; i > 0; i--) {
    if (isSpace(at(i))) {
      if (trailing) b.splice(i, b.length - i);
      else nspace++;
    } else trailing = false;
    if (done()) return finish();
  }
  const passes: ((i: number) => boolean)[] = [
    (i) => isLowerVowel(at(i)) && lastChar(i),
    (i) => isLowerVowel(at(i)) && !firstChar(i),
    (i) => isLower(at(i)) && lastChar(i),
    (i) => isLower(at(i)) && !firstChar(i),
  ];
  for (const test of passes) {
    for (let i = upper; i > 0; i--) {
      if (test(i)) remove(i);
      if (done()) return finish();
    }
  }
  const upper2 = strlen() - 1;
  for (let i = upper2; i > 0; i--) {
    if (!firstChar(i) && !isSpace(at(i))) remove(i);
    if (done()) return finish();
  }
  return finish();
}

/** R's `abbreviate(names, minlength)` (method "left.kept", not strict). */
export function abbreviate(names: readonly string[], minlength = 4): string[] {
  const trimmed = names.map((s) => s.trim());
  const uniq = [...new Set(trimmed)];
  const x = uniq.slice();
  let dup2 = uniq.map(() => true);
  let ml = minlength;
  for (;;) {
    uniq.forEach((s, i) => {
      if (dup2[i]) x[i] = stripChars(s, ml);
    });
    const seen = new Map<string, number>();
    const dups = x.map((s) => {
      const d = seen.has(s);
      seen.set(s, (seen.get(s) ?? 0) + 1);
      return d;
    });
    if (!dups.some(Boolean)) break;
    ml++;
    const dupVals = new Set(x.filter((_, i) => dups[i]));
    dup2 = x.map((s, i) => dups[i] || dupVals.has(s));
    if (ml > 1000) break;
  }
  return trimmed.map((s) => x[uniq.indexOf(s)]);
}

/** R's `strwrap(x, width, exdent)` for one paragraph of single-spaced words. */
export function strwrap(text: string, width: number, exdent = 0, indent = 0): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let cur: string[] = [];
  let curLen = 0;
  let limit = width - indent - 1;
  for (const w of words) {
    const add = cur.length === 0 ? w.length : curLen + 1 + w.length;
    if (cur.length > 0 && add > limit) {
      lines.push(cur.join(' '));
      cur = [w];
      curLen = w.length;
      limit = width - exdent - 1;
    } else {
      cur.push(w);
      curLen = add;
    }
  }
  if (cur.length > 0) lines.push(cur.join(' '));
  return lines.map((l, i) => ' '.repeat(i === 0 ? indent : exdent) + l);
}

/** R's `cat(..., sep, fill = TRUE)`: items joined by `sep`, a newline before an item that would overflow. */
export function catFill(items: readonly string[], sep = ' ', width = R_WIDTH): string {
  let out = '';
  let col = 0;
  items.forEach((item, i) => {
    if (i > 0) {
      if (col + sep.length + item.length > width) {
        out += '\n';
        col = 0;
      } else {
        out += sep;
        col += sep.length;
      }
    }
    out += item;
    col += item.length;
  });
  return out + '\n';
}

/** R's `print()` of a named vector whose elements are already formatted strings (right-justified). */
export function printNamedVector(
  names: readonly string[],
  values: readonly string[],
  width = R_WIDTH,
): string {
  const w = Math.max(...names.map((s) => s.length), ...values.map((s) => s.length));
  const perLine = Math.max(1, Math.floor(width / (w + 1)));
  let out = '';
  for (let start = 0; start < names.length; start += perLine) {
    const idx = names.slice(start, start + perLine).map((_, k) => start + k);
    out += idx.map((i) => names[i].padStart(w) + ' ').join('') + '\n';
    out += idx.map((i) => values[i].padStart(w) + ' ').join('') + '\n';
  }
  return out;
}

/** Options of {@link printMatrix}. */
export interface PrintMatrixOptions {
  /** Right-justify cells and column headers (R's `right = TRUE`); default left. */
  right?: boolean;
  width?: number;
}

/**
 * R's `print()` of a character matrix with `quote = FALSE`: row names left-justified, one space
 * before each column, columns wrapped into blocks that fit in `width`.
 */
export function printMatrix(
  cells: readonly (readonly string[])[],
  rowNames: readonly string[],
  colNames: readonly string[],
  options: PrintMatrixOptions = {},
): string {
  const width = options.width ?? R_WIDTH;
  const right = options.right ?? false;
  const rlab = Math.max(0, ...rowNames.map((s) => s.length));
  const colW = colNames.map((c, j) => Math.max(c.length, ...cells.map((r) => (r[j] ?? '').length)));
  const pad = (s: string, w: number): string => (right ? s.padStart(w) : s.padEnd(w));
  let out = '';
  let jmin = 0;
  const nc = colNames.length;
  if (nc === 0) {
    return rowNames.map((r) => r.padEnd(rlab) + '\n').join('');
  }
  while (jmin < nc) {
    let w = rlab;
    let jmax = jmin;
    do {
      w += colW[jmax] + 1;
      jmax++;
    } while (jmax < nc && w + colW[jmax] + 1 < width);
    const cols: number[] = [];
    for (let j = jmin; j < jmax; j++) cols.push(j);
    out += ' '.repeat(rlab) + cols.map((j) => ' ' + pad(colNames[j], colW[j])).join('') + '\n';
    cells.forEach((row, i) => {
      out +=
        rowNames[i].padEnd(rlab) +
        cols.map((j) => ' ' + pad(row[j] ?? '', colW[j])).join('') +
        '\n';
    });
    jmin = jmax;
  }
  return out;
}

/** Pad every string of a vector to a common width, like R's `format()` of a character vector. */
export function formatStrings(x: readonly string[], right = false): string[] {
  const w = Math.max(0, ...x.map((s) => s.length));
  return x.map((s) => (right ? s.padStart(w) : s.padEnd(w)));
}
