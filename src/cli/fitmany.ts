/**
 * `glmm fit-many --data D --formula "~ x + (1|g)" --responses a,b,c [--json]` (or
 * `--responses-from wide.csv`, whose columns are responses with one row per row of D): one
 * design, many responses, across worker threads (fitMany); one line per response, streamed in
 * input order as results arrive — with --json one JSON object per line: {response, ok, fixef,
 * se, theta, sigma, logLik, deviance, converged, varCorr, messages} or {response, ok: false,
 * error}.
 */
import { Command, Option } from 'commander';
import type { CsvTable } from '../frame/csv';
import type { DataInput } from '../frame/types';
import { jsonSafe } from '../results/fit';
import { fitMany } from '../worker/fitmany';
import type { ResponseFit } from '../worker/fitmany-responses';
import {
  collectLevels,
  FAMILIES,
  modelOptions,
  type ModelFlags,
  parseCount,
  parseFamily,
  parseLink,
  parseList,
} from './args';
import type { CliIO } from './run';

interface FitManyFlags extends ModelFlags {
  data?: string;
  formula?: string;
  responses?: string[];
  responsesFrom?: string;
  workers?: number;
  backend?: 'wasm' | 'js';
  json?: boolean;
}

export interface FitManyHelpers {
  readTable(path: string, io: CliIO): CsvTable;
  usage(message: string): Error;
}

export function addFitManyCommand(
  program: Command,
  io: CliIO,
  helpers: FitManyHelpers,
  done: (code: number) => void,
): void {
  program
    .command('fit-many')
    .description('fit one mixed model to many responses (the design built once per worker)')
    .option('--data <file>', 'CSV file with the design columns (and the responses)')
    .option('--formula <formula>', "the model's right-hand side, e.g. '~ x + (1 | g)'")
    .option('--responses <cols>', 'response columns of --data (comma-separated)', parseList)
    .option('--responses-from <file>', 'a wide CSV: one response per column, rows as --data')
    .option('--workers <n>', 'worker threads (default 1)', parseCount)
    .option('--ml', 'fit by maximum likelihood (default REML for LMMs)')
    .option('--factors <cols>', 'numeric columns to treat as factors (comma-separated)', parseList)
    .option('--levels <col=a,b,c>', 'level order of a factor (repeatable)', collectLevels)
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'js']))
    .option('--family <family>', `GLMM family as in R: ${FAMILIES.join(', ')}`, parseFamily)
    .option('--link <link>', 'link function (default: canonical)', parseLink)
    .option('--weights <col>', 'column of prior weights')
    .option('--offset <col>', 'column of offsets')
    .option('--json', 'one JSON object per line and response')
    .action(async (flags: FitManyFlags) => {
      done(await fitManyCommand(flags, io, helpers));
    });
}

async function fitManyCommand(
  flags: FitManyFlags,
  io: CliIO,
  helpers: FitManyHelpers,
): Promise<number> {
  if (flags.data === undefined) throw helpers.usage('fit-many needs --data FILE.csv');
  if (flags.formula === undefined) throw helpers.usage("fit-many needs --formula '~ x + (1 | g)'");
  if ((flags.responses === undefined) === (flags.responsesFrom === undefined)) {
    throw helpers.usage(
      'fit-many needs exactly one of --responses a,b,c and --responses-from FILE',
    );
  }
  const table = helpers.readTable(flags.data, io);
  let data: Record<string, unknown> = table;
  let responses = flags.responses ?? [];
  if (flags.responsesFrom !== undefined) {
    const wide = helpers.readTable(flags.responsesFrom, io);
    responses = Object.keys(wide);
    const clash = responses.find((r) => r in table);
    if (clash !== undefined) {
      throw helpers.usage(`--responses-from column '${clash}' is also a column of --data`);
    }
    data = { ...table, ...wide };
  }
  const options = {
    ...modelOptions(flags),
    ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
  };
  let failures = 0;
  await fitMany(flags.formula, data as DataInput, {
    ...options,
    responses,
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    onResult: (_, r) => {
      if (!r.ok) failures++;
      io.stdout(flags.json ? `${JSON.stringify(jsonLine(r))}\n` : textLine(r));
    },
  });
  if (failures > 0) io.stderr(`${failures} of ${responses.length} responses failed\n`);
  return 0;
}

function jsonLine(r: ResponseFit): object {
  if (!r.ok)
    return {
      response: r.response,
      ok: false,
      error: { name: r.error.name, message: r.error.message },
    };
  return jsonSafe(r);
}

function textLine(r: ResponseFit): string {
  if (!r.ok) return `${r.response}: error: ${r.error.message}\n`;
  const est = Object.entries(r.fixef)
    .map(([k, v]) => `${k} ${v.toPrecision(6)} (${r.se[k].toPrecision(3)})`)
    .join(', ');
  const flag = r.converged ? '' : ' [not converged]';
  return `${r.response}: ${est}; sigma ${r.sigma.toPrecision(5)}; logLik ${r.logLik.toFixed(3)}${flag}\n`;
}
