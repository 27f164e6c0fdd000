/**
 * The `glmm` command line, as a function of its arguments and injected I/O so that tests can run
 * it without spawning a process. Exit codes: 0 success, 1 failure (bad data, fit error), 2 usage.
 */
import { basename, extname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseCsv, type CsvTable } from '../frame/csv';
import type { DataInput, FrameOptions } from '../frame/types';
import { jsonSafe, type MerFit } from '../results/fit';
import { formatConfint, type ConfintMethod } from '../inference/confint';
import {
  collectLevels,
  FAMILIES,
  parseCount,
  parseFamily,
  parseLink,
  parseList,
  parseVcov,
  VCOV_RULES,
} from './args';
import { EXAMPLES, examplesDir, type ExampleOptions, type ExampleSpec } from './examples';
import { createProgress, type ProgressInfo } from './progress';
import { addAnovaCommand } from './anova';
import { addFitManyCommand } from './fitmany';
import { addGeeCommand } from './gee';
import { emmDfFromDdf, emmeansReport, formatEmmeans } from '../inference/emmeans';
import { ddfReport, formatAnovaReport } from '../inference/ddfreport';
import { checkDdf } from '../inference/ddf';

/** Options the CLI passes to `lmer`. */
export interface CliLmerOptions extends FrameOptions {
  REML?: boolean;
  weights?: string;
  offset?: string;
  backend?: 'wasm' | 'js';
  onProgress?: (p: ProgressInfo) => void;
  dataName?: string;
}

/** Options the CLI passes to `glmer`. */
export interface CliGlmerOptions extends FrameOptions {
  family?: string;
  link?: string;
  nAGQ?: number;
  weights?: string;
  offset?: string;
  backend?: 'wasm' | 'js';
  onProgress?: (p: ProgressInfo) => void;
  dataName?: string;
  /** `--vcov`: the fixed-effects covariance rule (`control.vcov`). */
  control?: { vcov: 'hessian' | 'RX' };
  /** `--method pql`, `--dispersion`, and `--ml` for PQL's variance components. */
  method?: 'PQL';
  dispersion?: 'fixed' | 'estimated';
  REML?: boolean;
}

/** The fitting functions (src/index.ts's `lmer` and `glmer`; fakes in tests). */
export interface Fitters {
  lmer(formula: string, data: DataInput, options?: CliLmerOptions): Promise<MerFit>;
  glmer(formula: string, data: DataInput, options?: CliGlmerOptions): Promise<MerFit>;
}

/** Where the CLI reads and writes. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a text file (throws when it cannot). */
  readFile(path: string): string;
  /** Whether stderr is a terminal (progress rewritten in place). */
  stderrIsTTY: boolean;
  /** The examples folder (default: located next to the running file). */
  examplesDir?: string;
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

export interface FitFlags {
  data?: string;
  example?: string;
  formula?: string;
  ml?: boolean;
  factors?: string[];
  levels?: Record<string, string[]>;
  backend?: 'wasm' | 'js';
  json?: boolean;
  family?: string;
  link?: string;
  nAGQ?: number;
  weights?: string;
  offset?: string;
  vcov?: 'hessian' | 'RX';
  /** `--method pql` and its `--dispersion fixed|estimated`. */
  method?: 'pql' | 'laplace';
  dispersion?: 'fixed' | 'estimated';
  progress?: boolean;
  emmeans?: string;
  type?: 'link' | 'response';
  ddf?: string;
  anova?: boolean;
  confint?: ConfintMethod;
  level?: number;
  nsim?: number;
  seed?: number;
}

const CONFINT_METHODS: readonly ConfintMethod[] = ['Wald', 'profile', 'boot'];

/** A `--confint` method, case-insensitive (`wald` -> `Wald`). */
function parseConfintMethod(value: string): ConfintMethod {
  const v = value.trim();
  const hit = CONFINT_METHODS.find((m) => m.toLowerCase() === v.toLowerCase());
  if (!hit) {
    throw new InvalidArgumentError(
      `unknown interval method '${v}' (one of: ${CONFINT_METHODS.join(', ')})`,
    );
  }
  return hit;
}

/** A confidence level strictly between 0 and 1 (`--level 0.9`). */
function parseLevel(value: string): number {
  const v = Number(value.trim());
  if (value.trim() === '' || !(v > 0 && v < 1)) {
    throw new InvalidArgumentError('expected a number between 0 and 1, e.g. 0.95');
  }
  return v;
}

const VERSION = '0.1.0';

/** Runs `glmm <argv...>` (argv without `node` and the script path) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIO, fitters: Fitters): Promise<number> {
  let code = 0;
  const program = new Command('glmm')
    .description(
      'Linear and generalized linear mixed models (lme4 lmer/glmer) in TypeScript + WebAssembly',
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });

  const backendOption = (): Option =>
    new Option('--backend <name>', 'kernel backend').choices(['wasm', 'js']);

  program
    .command('fit')
    .description('fit a model to a CSV file (or a bundled example) and print its summary')
    .option('--data <file>', 'CSV file with a header row')
    .option('--example <name>', 'use a bundled example (see list-examples)')
    .option('--formula <formula>', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
    .option('--ml', 'fit by maximum likelihood instead of REML (LMMs)')
    .option('--factors <cols>', 'numeric columns to treat as factors (comma-separated)', parseList)
    .option(
      '--levels <col=a,b,c>',
      'level order of a factor, first = reference (repeatable)',
      collectLevels,
    )
    .addOption(backendOption())
    .option('--json', 'print one JSON object instead of the summary')
    .option('--family <family>', `GLMM family as in R: ${FAMILIES.join(', ')}`, parseFamily)
    .option(
      '--link <link>',
      'link function, e.g. logit, probit, cloglog, log, identity, inverse (default: canonical)',
      parseLink,
    )
    .option('--nAGQ <k>', 'adaptive Gauss-Hermite points for GLMMs (1 = Laplace)', parseCount)
    .option(
      '--vcov <rule>',
      `GLMM standard errors: ${VCOV_RULES.join(' or ')} (default hessian, as lme4)`,
      parseVcov,
    )
    .addOption(
      new Option(
        '--method <m>',
        'GLMM estimator: laplace (Laplace/AGQ, default) or pql (penalized quasi-likelihood; --ml for ML variance components)',
      ).choices(['laplace', 'pql']),
    )
    .addOption(
      new Option(
        '--dispersion <rule>',
        'PQL: fixed (σ = 1, Breslow–Clayton) or estimated (MASS::glmmPQL); default fixed for binomial/Poisson',
      ).choices(['fixed', 'estimated']),
    )
    .option('--weights <col>', 'column of prior weights')
    .option('--offset <col>', 'column of offsets (added to the linear predictor)')
    .option('--no-progress', 'do not report progress of slow fits on stderr')
    .option(
      '--emmeans <term>',
      'estimated marginal means of a factor term (e.g. period or A:B) and their pairs',
    )
    .addOption(
      new Option(
        '--type <scale>',
        'scale of the --emmeans means (pairs stay on the link scale)',
      ).choices(['link', 'response']),
    )
    .option(
      '--ddf <method>',
      'denominator df of the t/F tests of LMMs: Satterthwaite or Kenward-Roger (also the df of --emmeans, z without --ddf)',
    )
    .option(
      '--anova',
      'type-3 anova of the fixed-effects terms (F tests for LMMs, Wald chi-square for GLMMs)',
    )
    .option(
      '--confint <method>',
      'confidence intervals as lme4 confint(): Wald, profile or boot',
      parseConfintMethod,
    )
    .option('--level <p>', 'confidence level of --confint (default 0.95)', parseLevel)
    .option('--nsim <n>', 'bootstrap simulations of --confint boot (default 500)', parseCount)
    .option('--seed <n>', 'seed of --confint boot (default 1)', parseCount)
    .action(async (flags: FitFlags) => {
      code = await fitCommand(flags, io, fitters);
    });

  program
    .command('examples')
    .description('fit every bundled example and print the summaries')
    .addOption(backendOption())
    .option('--json', 'print one JSON array of fits instead of the summaries')
    .option('--no-progress', 'do not report progress of slow fits on stderr')
    .action(async (flags: { backend?: 'wasm' | 'js'; json?: boolean; progress?: boolean }) => {
      code = await examplesCommand(flags, io, fitters);
    });

  addAnovaCommand(
    program,
    io,
    fitters,
    { fitOne, readTable, usage: (message) => new UsageError(message) },
    (c) => (code = c),
  );
  addFitManyCommand(
    program,
    io,
    { readTable, usage: (message) => new UsageError(message) },
    (c) => (code = c),
  );
  addGeeCommand(
    program,
    io,
    { readTable, usage: (message) => new UsageError(message) },
    (c) => (code = c),
  );

  program
    .command('list-examples')
    .description('list the bundled examples')
    .action(() => {
      io.stdout(listExamples());
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return handleError(err, io);
  }
}

function handleError(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`error: ${message}\n`);
  return err instanceof UsageError ? 2 : 1;
}

/** The text of `glmm list-examples`. */
export function listExamples(): string {
  const names = Object.keys(EXAMPLES);
  const w = Math.max(...names.map((n) => n.length));
  return names
    .map(
      (n) =>
        `${n.padEnd(w)}  ${EXAMPLES[n].formula}\n${' '.repeat(w)}  ${EXAMPLES[n].description}\n`,
    )
    .join('');
}

function exampleSpec(name: string): ExampleSpec {
  const spec = EXAMPLES[name];
  if (!spec) {
    throw new UsageError(
      `unknown example '${name}' (available: ${Object.keys(EXAMPLES).join(', ')})`,
    );
  }
  return spec;
}

function readTable(path: string, io: CliIO): CsvTable {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    const why =
      e instanceof Error && 'code' in e ? ` (${String((e as { code: unknown }).code)})` : '';
    throw new Error(`cannot read data file '${path}'${why}`);
  }
  try {
    return parseCsv(text);
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Whether family/link describe a GLMM rather than a Gaussian LMM. */
export function isGlmmFamily(family: string | undefined, link: string | undefined): boolean {
  if (family === undefined) return link !== undefined && link !== 'identity';
  return !(family.toLowerCase() === 'gaussian' && (link === undefined || link === 'identity'));
}

interface FitRequest {
  formula: string;
  data: CsvTable;
  dataName: string;
  options: ExampleOptions;
  backend?: 'wasm' | 'js';
  /** `--vcov` (GLMMs; an LMM's standard errors always come from R_X). */
  vcov?: 'hessian' | 'RX';
  progress: boolean;
  label: string;
  /** `--method pql` and `--dispersion`. */
  method?: 'PQL';
  dispersion?: 'fixed' | 'estimated';
}

async function fitOne(req: FitRequest, io: CliIO, fitters: Fitters): Promise<MerFit> {
  const o = req.options;
  const glmm = isGlmmFamily(o.family, o.link);
  if (!glmm && o.nAGQ !== undefined) {
    throw new UsageError('--nAGQ needs a non-Gaussian --family (a GLMM)');
  }
  if (!glmm && req.vcov === 'hessian') {
    throw new UsageError(
      "--vcov hessian needs a non-Gaussian --family (a GLMM); a linear mixed model's standard errors come from R_X, as lme4's",
    );
  }
  if (req.method === 'PQL' && !glmm) {
    throw new UsageError('--method pql needs a non-Gaussian --family (a GLMM)');
  }
  if (req.dispersion !== undefined && req.method !== 'PQL') {
    throw new UsageError('--dispersion applies to --method pql');
  }
  if (glmm && o.REML === false && req.method !== 'PQL') {
    throw new UsageError(
      '--ml applies to linear mixed models; a GLMM is always fitted by maximum likelihood',
    );
  }
  const progress = createProgress((s) => io.stderr(s), io.stderrIsTTY, req.label);
  const common = {
    ...(o.factors ? { factors: o.factors } : {}),
    ...(o.levels ? { levels: o.levels } : {}),
    ...(req.backend ? { backend: req.backend } : {}),
    ...(req.progress ? { onProgress: progress.onProgress } : {}),
    dataName: req.dataName,
  };
  try {
    if (glmm) {
      return await fitters.glmer(req.formula, req.data, {
        ...common,
        ...(o.family !== undefined ? { family: o.family } : {}),
        ...(o.link !== undefined ? { link: o.link } : {}),
        ...(o.nAGQ !== undefined ? { nAGQ: o.nAGQ } : {}),
        ...(o.weights !== undefined ? { weights: o.weights } : {}),
        ...(o.offset !== undefined ? { offset: o.offset } : {}),
        ...(req.vcov !== undefined ? { control: { vcov: req.vcov } } : {}),
        ...(req.method === 'PQL' ? { method: 'PQL' as const, REML: o.REML ?? true } : {}),
        ...(req.dispersion !== undefined ? { dispersion: req.dispersion } : {}),
      });
    }
    return await fitters.lmer(req.formula, req.data, {
      ...common,
      REML: o.REML ?? true,
      ...(o.weights !== undefined ? { weights: o.weights } : {}),
      ...(o.offset !== undefined ? { offset: o.offset } : {}),
    });
  } finally {
    progress.done();
  }
}

function fitJson(fit: MerFit, dataName: string): object {
  return { ...fit.toJSON(), dataName };
}

async function fitCommand(flags: FitFlags, io: CliIO, fitters: Fitters): Promise<number> {
  const spec = flags.example !== undefined ? exampleSpec(flags.example) : undefined;
  if (flags.data !== undefined && spec)
    throw new UsageError('give either --data or --example, not both');
  if (flags.data === undefined && !spec)
    throw new UsageError('fit needs --data FILE.csv (or --example NAME)');
  const formula = flags.formula ?? spec?.formula;
  if (formula === undefined || formula.trim() === '')
    throw new UsageError('fit needs --formula "..."');

  let data: CsvTable;
  let dataName: string;
  if (spec) {
    data = readTable(join(io.examplesDir ?? examplesDir(), spec.file), io);
    dataName = spec.dataName;
  } else {
    const path = flags.data as string;
    data = readTable(path, io);
    dataName = basename(path, extname(path));
  }
  const base: ExampleOptions = spec?.options ?? {};
  const options: ExampleOptions = {
    ...base,
    ...(flags.ml ? { REML: false } : {}),
    ...(flags.factors ? { factors: [...(base.factors ?? []), ...flags.factors] } : {}),
    ...(flags.levels ? { levels: { ...(base.levels ?? {}), ...flags.levels } } : {}),
    ...(flags.family !== undefined ? { family: flags.family } : {}),
    ...(flags.link !== undefined ? { link: flags.link } : {}),
    ...(flags.nAGQ !== undefined ? { nAGQ: flags.nAGQ } : {}),
    ...(flags.weights !== undefined ? { weights: flags.weights } : {}),
    ...(flags.offset !== undefined ? { offset: flags.offset } : {}),
  };
  const fit = await fitOne(
    {
      formula,
      data,
      dataName,
      options,
      backend: flags.backend,
      vcov: flags.vcov,
      ...(flags.method === 'pql' ? { method: 'PQL' as const } : {}),
      ...(flags.dispersion !== undefined ? { dispersion: flags.dispersion } : {}),
      progress: flags.progress !== false,
      label: flags.example ?? dataName,
    },
    io,
    fitters,
  );
  if (flags.type !== undefined && flags.emmeans === undefined) {
    throw new UsageError('--type applies to --emmeans TERM');
  }
  const emm =
    flags.emmeans === undefined
      ? undefined
      : emmeansReport(fit, flags.emmeans, flags.type, emmDfFromDdf(flags.ddf));
  const tests = ddfReport(fit, flags.ddf, flags.anova === true);
  if (flags.confint === undefined && flags.level !== undefined) {
    throw new UsageError('--level applies to --confint METHOD');
  }
  if (flags.confint !== 'boot' && (flags.nsim !== undefined || flags.seed !== undefined)) {
    throw new UsageError('--nsim and --seed apply to --confint boot');
  }
  if (flags.nsim === 0) throw new UsageError('--nsim must be at least 1');
  const level = flags.level ?? 0.95;
  const ci =
    flags.confint === undefined
      ? undefined
      : fit.confint({
          method: flags.confint,
          level,
          ...(flags.nsim !== undefined && { nsim: flags.nsim }),
          ...(flags.seed !== undefined && { seed: flags.seed }),
        });
  if (flags.json) {
    const json0 =
      emm === undefined ? fitJson(fit, dataName) : { ...fitJson(fit, dataName), emmeans: emm };
    const json = {
      ...json0,
      ...tests,
      ...(ci !== undefined && {
        confint: jsonSafe(
          ci.map((r) => ({ parameter: r.parameter, lower: r.lower, upper: r.upper })),
        ),
      }),
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else {
    const text = fit.summary(
      flags.ddf === undefined ? { dataName } : { dataName, ddf: checkDdf(flags.ddf) },
    );
    io.stdout(text);
    if (flags.anova) io.stdout(formatAnovaReport(fit, flags.ddf));
    if (emm !== undefined) io.stdout(formatEmmeans(emm));
    if (ci !== undefined) {
      const what = { Wald: 'Wald', profile: 'profile', boot: 'parametric bootstrap (percentile)' };
      io.stdout(`\nConfidence intervals (${what[flags.confint as ConfintMethod]}):\n`);
      io.stdout(formatConfint(ci, level));
    }
    // The example's extra table belongs to its own model: skip it when the model was changed.
    if (spec?.extra && flags.formula === undefined && flags.data === undefined) {
      io.stdout((text.endsWith('\n\n') ? '' : '\n') + spec.extra(fit, data));
    }
  }
  return 0;
}

async function examplesCommand(
  flags: { backend?: 'wasm' | 'js'; json?: boolean; progress?: boolean },
  io: CliIO,
  fitters: Fitters,
): Promise<number> {
  const dir = io.examplesDir ?? examplesDir();
  const results: object[] = [];
  let failed = 0;
  for (const [name, spec] of Object.entries(EXAMPLES)) {
    try {
      const data = readTable(join(dir, spec.file), io);
      const fit = await fitOne(
        {
          formula: spec.formula,
          data,
          dataName: spec.dataName,
          options: spec.options,
          backend: flags.backend,
          progress: flags.progress !== false,
          label: name,
        },
        io,
        fitters,
      );
      if (flags.json) results.push({ example: name, ...fitJson(fit, spec.dataName) });
      else {
        io.stdout(`==> ${name}: ${spec.description}\n\n`);
        const text = fit.summary({ dataName: spec.dataName });
        // a summary ending in warnings already ends with a blank line (as lme4's)
        io.stdout(text.endsWith('\n\n') ? text : text + '\n');
        if (spec.extra) io.stdout(spec.extra(fit, data) + '\n');
      }
    } catch (err) {
      failed++;
      io.stderr(`error: example '${name}': ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (flags.json) io.stdout(JSON.stringify(results, null, 2) + '\n');
  return failed > 0 ? 1 : 0;
}
