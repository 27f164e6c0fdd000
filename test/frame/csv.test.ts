import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/frame/csv';
import { DataError } from '../../src/errors';

describe('parseCsv', () => {
  it('numeric columns become numbers, others strings', () => {
    const t = parseCsv('y,g,x\n1.5,a,1\n-2e3,b,2\n.5,c,3\n');
    expect(t).toEqual({ y: [1.5, -2000, 0.5], g: ['a', 'b', 'c'], x: [1, 2, 3] });
  });
  it('empty cells and NA are missing in both kinds of column', () => {
    const t = parseCsv('y,g\n1,a\n,NA\nNA,\n4,"NA"\n');
    expect(t.y).toEqual([1, null, null, 4]);
    expect(t.g).toEqual(['a', null, null, null]);
  });
  it('quoted fields hold delimiters, doubled quotes and newlines', () => {
    const t = parseCsv('name,note\n"Smith, J","say ""hi"""\n"a\nb",plain\n');
    expect(t.name).toEqual(['Smith, J', 'a\nb']);
    expect(t.note).toEqual(['say "hi"', 'plain']);
  });
  it('quoted numbers are numbers, as in R read.csv', () => {
    const t = parseCsv('"herd","n","note"\n"1",14,"a, ""b"""\n"10",,NA\r\n"2",-1.5e2,plain\n');
    expect(t).toEqual({
      herd: [1, 10, 2],
      n: [14, null, -150],
      note: ['a, "b"', null, 'plain'],
    });
  });
  it('one non-numeric cell makes the column text', () => {
    expect(parseCsv('a\n1\n2x\n3\n').a).toEqual(['1', '2x', '3']);
  });
  it('handles CRLF, a BOM, spaces around values, blank lines and no final newline', () => {
    const t = parseCsv('\ufeffa,b\r\n 1 , x \r\n\r\n2,y');
    expect(t).toEqual({ a: [1, 2], b: ['x', 'y'] });
  });
  it('a header without rows gives empty columns', () => {
    expect(parseCsv('a,b\n')).toEqual({ a: [], b: [] });
  });
  it('Inf, -Inf and NaN are numbers', () => {
    expect(parseCsv('a\nInf\n-Inf\nNaN\n').a).toEqual([Infinity, -Infinity, NaN]);
  });
  it('other delimiters and NA strings', () => {
    expect(parseCsv('a;b\n1;.\n', { delimiter: ';', naStrings: ['.'] })).toEqual({
      a: [1],
      b: [null],
    });
  });
  it('a header without commas but with a semicolon or a tab sets the delimiter', () => {
    // read.csv2 style: ';' and a decimal comma
    expect(parseCsv('"y";"x";"g"\n249,56;0;"308"\n1.5;-2,25e1;a\n')).toEqual({
      y: [249.56, 1.5],
      x: [0, -22.5],
      g: ['308', 'a'],
    });
    expect(parseCsv('y\tx\n1.5\t2\n')).toEqual({ y: [1.5], x: [2] });
    // a comma anywhere in the header keeps ','; a one-column file stays one column
    expect(parseCsv('a;b,c\n1,2\n')).toEqual({ 'a;b': [1], c: [2] });
    expect(parseCsv('a\n1.5\n')).toEqual({ a: [1.5] });
    // given options win: ';' with a decimal point, ',' with a decimal comma
    expect(parseCsv('a;b\n1,5;2\n', { decimal: '.' })).toEqual({ a: ['1,5'], b: [2] });
    expect(parseCsv('a,b\n"1,5",2\n', { decimal: ',' })).toEqual({ a: [1.5], b: [2] });
  });
  it('reports ragged rows, duplicate or empty names and unterminated quotes', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/row 2 has 1 fields but the header has 2/);
    expect(() => parseCsv('a,b\n1,2\n3,4,5\n')).toThrow(/row 2 has 3 fields/);
    expect(() => parseCsv('a,b\n1\n')).toThrow(DataError);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/duplicate column name 'a'/);
    expect(() => parseCsv('a,\n1,2\n')).toThrow(/column 2 of the CSV header has no name/);
    expect(() => parseCsv('a\n"1\n')).toThrow(/unterminated/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });
  it('reads the sleepstudy fixture (quoted Subject codes become numbers)', () => {
    const path = fileURLToPath(new URL('../fixtures/sleepstudy.csv', import.meta.url));
    const t = parseCsv(readFileSync(path, 'utf8'));
    expect(Object.keys(t)).toEqual(['Reaction', 'Days', 'Subject']);
    expect(t.Reaction.length).toBe(180);
    expect(t.Reaction[0]).toBe(249.56);
    expect(t.Subject[0]).toBe(308);
  });
  it('reads cbpp: period is numeric unless passed as a factor', () => {
    const path = fileURLToPath(new URL('../fixtures/cbpp.csv', import.meta.url));
    const t = parseCsv(readFileSync(path, 'utf8'));
    expect(Object.keys(t)).toEqual(['herd', 'incidence', 'size', 'period', 'obs']);
    expect(t.period.length).toBe(56);
    expect(t.period.slice(0, 4)).toEqual([1, 2, 3, 4]);
  });
});
