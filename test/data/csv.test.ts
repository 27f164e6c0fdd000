import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { DataError } from '../../src/errors';

describe('parseCsv', () => {
  it('keeps quoted fields as strings and reads unquoted numbers', () => {
    const t = parseCsv('"herd","n","note"\n"1",14,"a, ""b"""\n"10",,NA\r\n"2",-1.5e2,plain\n');
    expect(t).toEqual({
      herd: ['1', '10', '2'],
      n: [14, null, -150],
      note: ['a, "b"', null, 'plain'],
    });
  });

  it('rejects ragged rows', () => {
    expect(() => parseCsv('a,b\n1\n')).toThrow(DataError);
  });
});
