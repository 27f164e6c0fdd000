/**
 * Bundled example data sets and the models `glmm examples` fits. The CSV files live in the
 * package's `examples/` folder, found at run time next to the running file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Model options an example passes to `lmer` / `glmer` (same names as the CLI flags). */
export interface ExampleOptions {
  /** false = maximum likelihood; default REML for LMMs. */
  REML?: boolean;
  /** Numeric columns to treat as factors. */
  factors?: string[];
  /** Level order per factor column. */
  levels?: Record<string, string[]>;
  /** GLMM family (absent: LMM). */
  family?: string;
  link?: string;
  nAGQ?: number;
  /** Column of prior weights. */
  weights?: string;
  /** Column of offsets. */
  offset?: string;
}

/** One bundled example. */
export interface ExampleSpec {
  /** CSV file name inside `examples/`. */
  file: string;
  /** Model formula in lme4 syntax. */
  formula: string;
  /** Data-set name shown on the summary's `Data:` line (lme4's name for the data). */
  dataName: string;
  /** One line for `glmm list-examples`. */
  description: string;
  options: ExampleOptions;
}

/** The examples, in the order `glmm examples` fits them. */
export const EXAMPLES: Record<string, ExampleSpec> = {
  dyestuff: {
    file: 'dyestuff.csv',
    formula: 'Yield ~ 1 + (1 | Batch)',
    dataName: 'Dyestuff',
    description:
      'Yield of dyestuff from 6 batches of an intermediate product (one random intercept)',
    options: {},
  },
  sleepstudy: {
    file: 'sleepstudy.csv',
    formula: 'Reaction ~ Days + (Days | Subject)',
    dataName: 'sleepstudy',
    description: 'Reaction times under sleep deprivation (correlated random intercept and slope)',
    options: {},
  },
  penicillin: {
    file: 'penicillin.csv',
    formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)',
    dataName: 'Penicillin',
    description: 'Penicillin assay: 24 plates crossed with 6 samples (crossed random intercepts)',
    options: {},
  },
};

/** Whether `dir` is the root of this package with its examples folder. */
function isPackageRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg) || !existsSync(join(dir, 'examples'))) return false;
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).name === 'glmm-wasm';
  } catch {
    return false;
  }
}

/**
 * The `examples/` folder: `../examples/` from the running file (dist/cli.js in the package), or
 * else the nearest ancestor folder that is the glmm-wasm package root (running from src/ in tests).
 */
export function examplesDir(from: string = import.meta.url): string {
  const direct = fileURLToPath(new URL('../examples/', from));
  if (existsSync(direct) && isPackageRoot(dirname(direct))) return direct;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (isPackageRoot(dir)) return join(dir, 'examples');
    const up = dirname(dir);
    if (up === dir || dir === parse(dir).root) break;
    dir = up;
  }
  throw new Error('cannot find the bundled examples/ folder of glmm-wasm');
}
