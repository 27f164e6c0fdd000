/**
 * `glmm gee --data D --formula F --id COL [--family F] [--link L] [--corstr S] [--waves COL]
 * [--weights COL] [--offset COL] [--json]`: a marginal model by generalized estimating
 * equations (geepack's geeglm). With --json: `{fixef, se (model-based), robustSe, alpha, scale,
 * clusters, iterations, ...}` (alpha: a number for exchangeable and ar1, the working
 * correlation matrix for unstructured, null for independence); else the summary table.
 */
import { Command, Option } from 'commander';
import type { CsvTable } from '../frame/csv';
import { gee } from '../gee/gee';
import { CORSTRS, type Corstr } from '../gee/options';
import { collectLevels, parseFamily, parseLink, parseList } from './args';
import type { CliIO } from './run';

interface GeeFlags {
  data?: string;
  formula?: string;
  id?: string;
  family?: string;
  link?: string;
  corstr?: Corstr;
  waves?: string;
  weights?: string;
  offset?: string;
  factors?: string[];
  levels?: Record<string, string[]>;
  backend?: 'wasm' | 'js';
  json?: boolean;
  anova?: boolean;
}

/** What run.ts already has. */
export interface GeeHelpers {
  readTable(path: string, io: CliIO): CsvTable;
  /** A usage mistake (exit code 2). */
  usage(message: string): Error;
}

/** Adds the `gee` command to the program; `done` receives its exit code. */
export function addGeeCommand(
  program: Command,
  io: CliIO,
  helpers: GeeHelpers,
  done: (code: number) => void,
): void {
  program
    .command('gee')
    .description('marginal model by generalized estimating equations (geepack geeglm)')
    .option('--data <file>', 'CSV file with a header row')
    .option('--formula <formula>', 'model formula without random terms, e.g. "y ~ trt + age"')
    .option('--id <col>', 'column naming the clusters')
    .option('--family <family>', 'gaussian, binomial, poisson or Gamma', parseFamily)
    .option('--link <link>', 'link function (default: canonical)', parseLink)
    .addOption(
      new Option('--corstr <structure>', 'working correlation')
        .choices([...CORSTRS])
        .default('independence'),
    )
    .option('--waves <col>', 'column ordering observations within clusters')
    .option('--weights <col>', 'column of prior weights')
    .option('--offset <col>', 'column of offsets')
    .option('--factors <cols>', 'numeric columns to treat as factors (comma-separated)', parseList)
    .option('--levels <col=a,b,c>', 'level order of a factor (repeatable)', collectLevels)
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'js']))
    .option('--anova', 'add robust Wald tests per term')
    .option('--json', 'print one JSON object instead of the table')
    .action(async (flags: GeeFlags) => {
      done(await geeCommand(flags, io, helpers));
    });
}

async function geeCommand(flags: GeeFlags, io: CliIO, helpers: GeeHelpers): Promise<number> {
  if (flags.data === undefined) throw helpers.usage('gee needs --data FILE.csv');
  if (flags.formula === undefined) throw helpers.usage('gee needs --formula');
  if (flags.id === undefined) throw helpers.usage('gee needs --id COLUMN (the clusters)');
  const data = helpers.readTable(flags.data, io);
  const fit = await gee(flags.formula, data, {
    id: flags.id,
    ...(flags.family !== undefined ? { family: flags.family } : {}),
    ...(flags.link !== undefined ? { link: flags.link } : {}),
    ...(flags.corstr !== undefined ? { corstr: flags.corstr } : {}),
    ...(flags.waves !== undefined ? { waves: flags.waves } : {}),
    ...(flags.weights !== undefined ? { weights: flags.weights } : {}),
    ...(flags.offset !== undefined ? { offset: flags.offset } : {}),
    ...(flags.factors ? { factors: flags.factors } : {}),
    ...(flags.levels ? { levels: flags.levels } : {}),
    ...(flags.backend ? { backend: flags.backend } : {}),
  });
  const anova = flags.anova ? fit.anova() : null;
  if (flags.json) {
    io.stdout(JSON.stringify({ ...fit.toJSON(), ...(anova ? { anova } : {}) }, null, 2) + '\n');
    return 0;
  }
  io.stdout(fit.summary());
  if (anova) {
    io.stdout('\nRobust Wald tests per term:\n');
    for (const r of anova) {
      io.stdout(
        `  ${r.term.padEnd(20)} df ${r.df}  chisq ${r.chisq.toPrecision(6)}  p ${r.p.toPrecision(4)}\n`,
      );
    }
  }
  return 0;
}
