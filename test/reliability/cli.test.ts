/**
 * Catalogue: command-line misuse, run in-process with the real fitting functions on both
 * backends. A misused command line exits 2, a bad model or data file exits 1; the message names
 * the culprit and has no stack trace. `--json` writes non-finite numbers as strings.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-io';
import { backends, fixturesDir } from '../helpers/fixtures';

const files: Record<string, string> = {
  'sleep.csv': readFileSync(join(fixturesDir, 'sleepstudy.csv'), 'utf8'),
  // non-integer counts: Poisson's log-likelihood is -Inf, as lme4's
  'counts.csv':
    'c,x,g\n' +
    Array.from({ length: 24 }, (_, i) => `${(i % 5) + 0.5},${(i * 7) % 11},g${i % 4}`).join('\n') +
    '\n',
  'ragged.csv': 'y,x,g\n1,2,a\n3,4\n',
  'empty.csv': '',
  'header-only.csv': 'y,x,g\n',
};

const cli = (argv: string[]) => runCli(argv, files);

interface CliEntry {
  input: string;
  argv: string[];
  code: 0 | 1 | 2;
  stderr: (string | RegExp)[];
  stdout?: (text: string) => void;
}

const SLEEP = ['fit', '--data', 'sleep.csv', '--formula', 'Reaction ~ Days + (1 | Subject)'];

const entries: CliEntry[] = [
  {
    input: '--levels for a column the data do not have',
    argv: [...SLEEP, '--levels', 'nosuch=a,b'],
    code: 1,
    stderr: ["option 'levels': names no column of the data: 'nosuch'"],
  },
  {
    input: '--levels that leave out a level',
    argv: [...SLEEP, '--levels', 'Subject=308'],
    code: 1,
    stderr: ["value '309' of column 'Subject' (row 11) is not among the levels given for it: 308"],
  },
  {
    input: '--ml with a Poisson GLMM',
    argv: [...SLEEP, '--family', 'poisson', '--ml'],
    code: 2,
    stderr: ['--ml applies to linear mixed models; a GLMM is always fitted by maximum likelihood'],
  },
  {
    input: '--ml with a binomial GLMM',
    argv: [...SLEEP, '--family', 'binomial', '--ml'],
    code: 2,
    stderr: ['--ml applies to linear mixed models'],
  },
  {
    input: '--nAGQ with a Gaussian model (no --family)',
    argv: [...SLEEP, '--nAGQ', '3'],
    code: 2,
    stderr: ['--nAGQ needs a non-Gaussian --family (a GLMM)'],
  },
  {
    input: '--nAGQ with --family gaussian',
    argv: [...SLEEP, '--family', 'gaussian', '--nAGQ', '3'],
    code: 2,
    stderr: ['--nAGQ needs a non-Gaussian --family'],
  },
  {
    input: '--nAGQ above 100',
    argv: [...SLEEP, '--family', 'poisson', '--nAGQ', '1000'],
    code: 1,
    stderr: ["option 'nAGQ': must be an integer ≥ 0 and ≤ 100, got 1000"],
  },
  {
    input: '--nAGQ -1',
    argv: [...SLEEP, '--family', 'poisson', '--nAGQ', '-1'],
    code: 2,
    stderr: ["option '--nAGQ <k>' argument '-1' is invalid", 'expected a non-negative integer'],
  },
  {
    input: 'an unknown flag',
    argv: [...SLEEP, '--bogus'],
    code: 2,
    stderr: ["unknown option '--bogus'"],
  },
  {
    input: 'a misspelt flag (--formla)',
    argv: ['fit', '--data', 'sleep.csv', '--formla', 'Reaction ~ Days + (1 | Subject)'],
    code: 2,
    stderr: ["unknown option '--formla'", '--formula'],
  },
  {
    input: 'no --formula',
    argv: ['fit', '--data', 'sleep.csv'],
    code: 2,
    stderr: ['fit needs --formula "..."'],
  },
  {
    input: 'an empty --formula',
    argv: ['fit', '--data', 'sleep.csv', '--formula', '  '],
    code: 2,
    stderr: ['fit needs --formula "..."'],
  },
  {
    input: 'no --data',
    argv: ['fit', '--formula', 'Reaction ~ Days + (1 | Subject)'],
    code: 2,
    stderr: ['fit needs --data FILE.csv (or --example NAME)'],
  },
  {
    input: 'an extra positional argument',
    argv: [...SLEEP, 'extra'],
    code: 2,
    stderr: ["too many arguments for 'fit'"],
  },
  {
    input: 'an unknown command',
    argv: ['fitt'],
    code: 2,
    stderr: ["unknown command 'fitt'", '(Did you mean fit?)'],
  },
  {
    input: 'an unknown --family',
    argv: [...SLEEP, '--family', 'zebra'],
    code: 2,
    stderr: ["unknown family 'zebra' (one of: binomial, poisson"],
  },
  {
    input: 'an unknown --link',
    argv: [...SLEEP, '--family', 'poisson', '--link', 'logitt'],
    code: 2,
    stderr: ["unknown link 'logitt'"],
  },
  {
    input: '--levels without a column',
    argv: [...SLEEP, '--levels', '=a,b'],
    code: 2,
    stderr: ['expected COLUMN=LEVEL1,LEVEL2,...'],
  },
  {
    input: '--factors with an empty list',
    argv: [...SLEEP, '--factors', ','],
    code: 2,
    stderr: ['expected a comma-separated list'],
  },
  {
    input: '--factors naming no column',
    argv: [...SLEEP, '--factors', 'Dayz'],
    code: 1,
    stderr: ["option 'factors': names no column of the data: 'Dayz' (did you mean 'Days'?)"],
  },
  {
    input: '--weights naming no column',
    argv: [...SLEEP, '--weights', 'nosuch'],
    code: 1,
    stderr: ["unknown column 'nosuch' (the data have: Reaction, Days, Subject)"],
  },
  {
    input: 'a formula syntax error',
    argv: ['fit', '--data', 'sleep.csv', '--formula', 'Reaction ~ Days + (1 | Subject'],
    code: 1,
    stderr: [
      "unclosed '(' at position 18 in formula\n  Reaction ~ Days + (1 | Subject\n" +
        ' '.repeat(20) +
        '^',
    ],
  },
  {
    input: 'a formula column the data do not have',
    argv: ['fit', '--data', 'sleep.csv', '--formula', 'Reaction ~ Dayz + (1 | Subject)'],
    code: 1,
    stderr: ["unknown column 'Dayz'"],
  },
  {
    input: 'a data file that does not exist',
    argv: ['fit', '--data', '/nonexistent/x.csv', '--formula', 'y ~ (1 | g)'],
    code: 1,
    stderr: ["cannot read data file '/nonexistent/x.csv' (ENOENT)"],
  },
  {
    input: 'a CSV file with a ragged row',
    argv: ['fit', '--data', 'ragged.csv', '--formula', 'y ~ x + (1 | g)'],
    code: 1,
    stderr: ['ragged.csv: row 2 has 2 fields but the header has 3'],
  },
  {
    input: 'an empty CSV file',
    argv: ['fit', '--data', 'empty.csv', '--formula', 'y ~ x + (1 | g)'],
    code: 1,
    stderr: ['empty.csv: the CSV text is empty (no header row)'],
  },
  {
    input: 'a CSV file with a header and no rows',
    argv: ['fit', '--data', 'header-only.csv', '--formula', 'y ~ x + (1 | g)'],
    code: 1,
    stderr: ['the data have no rows'],
  },
  {
    input: '--json of a fit whose logLik is -Inf (valid: "-Inf", never null)',
    argv: [
      'fit',
      '--data',
      'counts.csv',
      '--formula',
      'c ~ x + (1 | g)',
      '--family',
      'poisson',
      '--json',
    ],
    code: 0,
    stderr: [],
    stdout: (text) => {
      expect(text).toContain('"logLik": "-Inf"');
      expect(text).toContain('"deviance": "Inf"');
      expect(text).not.toMatch(/"(logLik|AIC|BIC|deviance|sigma)": null/);
      const j = JSON.parse(text) as {
        logLik: unknown;
        AIC: unknown;
        fixef: Record<string, unknown>;
      };
      expect(j.logLik).toBe('-Inf');
      expect(j.AIC).toBe('Inf');
      for (const v of Object.values(j.fixef)) expect(Number.isFinite(v)).toBe(true);
    },
  },
];

describe('command-line misuse', () => {
  for (const e of entries) {
    for (const backend of backends) {
      it(`${e.input} (${backend})`, async () => {
        const r = await cli([...e.argv, '--backend', backend]);
        expect(r.code, r.stderr).toBe(e.code);
        for (const p of e.stderr) {
          if (typeof p === 'string') expect(r.stderr).toContain(p);
          else expect(r.stderr).toMatch(p);
        }
        if (e.code !== 0) {
          expect(r.stderr).toMatch(/^error: /);
          expect(r.stderr).not.toMatch(/\n\s+at /);
          expect(r.stdout).toBe('');
        }
        e.stdout?.(r.stdout);
      });
    }
  }
});
