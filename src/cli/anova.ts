/**
 * `glmm anova --data D --formula F0 --formula F1 [fit flags] [--json]`: fits each formula to the
 * same data with the `glmm fit` flags and prints lme4's likelihood-ratio table (anova(m0, m1)),
 * or with --json `{models: [{formula, npar, AIC, BIC, logLik, deviance}], chisq, df, p,
 * pBoundary}` (pBoundary only when the larger model adds variance parameters; `tests` lists
 * every consecutive comparison when more than two formulas are given).
 */
import { basename, extname } from 'node:path';
import { Command, Option } from 'commander';
import type { CsvTable } from '../frame/csv';
import { anova } from '../inference/lrt';
import type { MerFit } from '../results/fit';
import {
  collectLevels,
  FAMILIES,
  modelOptions,
  parseCount,
  parseFamily,
  parseLink,
  parseList,
} from './args';
import type { ExampleOptions } from './examples';
import type { CliIO, FitFlags, Fitters } from './run';

/** `glmm fit`'s flags, with --formula given once per model. */
type AnovaFlags = Omit<FitFlags, 'formula'> & { formula?: string[] };

/** What `glmm fit` already has (passed in by run.ts, so that this module does not import it). */
export interface AnovaHelpers {
  fitOne(
    req: {
      formula: string;
      data: CsvTable;
      dataName: string;
      options: ExampleOptions;
      backend?: 'wasm' | 'js';
      progress: boolean;
      label: string;
    },
    io: CliIO,
    fitters: Fitters,
  ): Promise<MerFit>;
  readTable(path: string, io: CliIO): CsvTable;
  /** A usage mistake (exit code 2). */
  usage(message: string): Error;
}

const collectFormula = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** Adds the `anova` command to the program; `done` receives its exit code. */
export function addAnovaCommand(
  program: Command,
  io: CliIO,
  fitters: Fitters,
  helpers: AnovaHelpers,
  done: (code: number) => void,
): void {
  program
    .command('anova')
    .description(
      'likelihood-ratio tests between nested models fitted to the same data (lme4 anova)',
    )
    .option('--data <file>', 'CSV file with a header row')
    .option('--formula <formula>', 'a model formula (give two or more)', collectFormula)
    .option('--ml', 'fit by maximum likelihood (LMMs; REML fits are refitted by ML anyway)')
    .option('--factors <cols>', 'numeric columns to treat as factors (comma-separated)', parseList)
    .option('--levels <col=a,b,c>', 'level order of a factor (repeatable)', collectLevels)
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'js']))
    .option('--json', 'print one JSON object instead of the table')
    .option('--family <family>', `GLMM family as in R: ${FAMILIES.join(', ')}`, parseFamily)
    .option('--link <link>', 'link function (default: canonical)', parseLink)
    .option('--nAGQ <k>', 'adaptive Gauss-Hermite points for GLMMs (1 = Laplace)', parseCount)
    .option('--weights <col>', 'column of prior weights')
    .option('--offset <col>', 'column of offsets')
    .option('--no-progress', 'do not report progress of slow fits on stderr')
    .action(async (flags: AnovaFlags) => {
      done(await anovaCommand(flags, io, fitters, helpers));
    });
}

async function anovaCommand(
  flags: AnovaFlags,
  io: CliIO,
  fitters: Fitters,
  helpers: AnovaHelpers,
): Promise<number> {
  if (flags.data === undefined) throw helpers.usage('anova needs --data FILE.csv');
  const formulas = (flags.formula ?? []).filter((f) => f.trim() !== '');
  if (formulas.length < 2) {
    throw helpers.usage('anova needs two or more models: --formula F0 --formula F1');
  }
  const data = helpers.readTable(flags.data, io);
  const dataName = basename(flags.data, extname(flags.data));
  const options = modelOptions(flags);
  const fits: MerFit[] = [];
  for (const [k, formula] of formulas.entries()) {
    fits.push(
      await helpers.fitOne(
        {
          formula,
          data,
          dataName,
          options,
          ...(flags.backend ? { backend: flags.backend } : {}),
          progress: flags.progress !== false,
          label: `${dataName} model ${k + 1}`,
        },
        io,
        fitters,
      ),
    );
  }
  const result = anova(...fits);
  if (flags.json) {
    io.stdout(JSON.stringify(result.toJSON(), null, 2) + '\n');
  } else {
    for (const m of result.messages) io.stderr(`${m}\n`);
    io.stdout(`Data: ${dataName}\n${result.toString()}`);
  }
  return 0;
}
