/** `glmm fit-many` streams one JSON line per response, in order (runs dist/cli.js: workers need the bundle). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmerSync, parseCsv } from '../../src/index';
import { fixturesDir } from '../helpers/fixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

describe.skipIf(!existsSync(CLI))('glmm fit-many', () => {
  const sleep = parseCsv(readFileSync(join(fixturesDir, 'sleepstudy.csv'), 'utf8'));
  const reaction = sleep.Reaction as number[];
  const dir = mkdtempSync(join(tmpdir(), 'glmm-fitmany-'));
  const dataFile = join(dir, 'design.csv');
  const wideFile = join(dir, 'wide.csv');
  writeFileSync(
    dataFile,
    [
      'Days,Subject,r1',
      ...reaction.map((r, i) => `${sleep.Days[i]},${sleep.Subject[i]},${r}`),
    ].join('\n'),
  );
  const wide = (i: number): [number, number, string] => [
    reaction[i] + (i % 7),
    reaction[i] * 0.5 + (i % 3),
    'x',
  ];
  writeFileSync(wideFile, ['a,b,bad', ...reaction.map((_, i) => wide(i).join(','))].join('\n'));

  it('gives one JSON line per response, equal to lmer, with errors as lines of their own', () => {
    const out = execFileSync(
      'node',
      [
        CLI,
        'fit-many',
        '--data',
        dataFile,
        '--formula',
        '~ Days + (Days | Subject)',
        '--responses-from',
        wideFile,
        '--workers',
        '2',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.response, l.ok])).toEqual([
      ['a', true],
      ['b', true],
      ['bad', false],
    ]);
    expect(lines[2].error.name).toBe('DataError');
    const direct = lmerSync('y ~ Days + (Days | Subject)', {
      y: reaction.map((_, i) => wide(i)[0]),
      Days: sleep.Days,
      Subject: sleep.Subject,
    });
    expect(lines[0].fixef.Days).toBeCloseTo(direct.fixef.Days, 8);
    expect(lines[0].logLik).toBeCloseTo(direct.logLik, 6);
    expect(Object.keys(lines[0]).sort()).toEqual(
      [
        'response',
        'ok',
        'fixef',
        'se',
        'theta',
        'sigma',
        'logLik',
        'deviance',
        'converged',
        'varCorr',
        'messages',
      ].sort(),
    );
  }, 60_000);

  it('takes response columns of --data and refuses a missing choice', () => {
    const out = execFileSync(
      'node',
      [
        CLI,
        'fit-many',
        '--data',
        dataFile,
        '--formula',
        '~ Days + (1 | Subject)',
        '--responses',
        'r1',
        '--ml',
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/^r1: \(Intercept\) /);
    expect(() =>
      execFileSync(
        'node',
        [CLI, 'fit-many', '--data', dataFile, '--formula', '~ Days + (1 | Subject)'],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      ),
    ).toThrow(/exactly one of --responses/);
  }, 60_000);
});
