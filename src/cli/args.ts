/** Parsers for CLI option values; each throws commander's InvalidArgumentError on bad input. */
import { InvalidArgumentError } from 'commander';
import type { ExampleOptions } from './examples';

/** `a,b,c` -> ['a', 'b', 'c'] (empty items dropped). */
export function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** Accumulates repeated `--levels col=a,b,c` into `{col: ['a', 'b', 'c']}`. */
export function collectLevels(
  value: string,
  previous: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const eq = value.indexOf('=');
  if (eq <= 0)
    throw new InvalidArgumentError('expected COLUMN=LEVEL1,LEVEL2,... (e.g. trt=placebo,drug)');
  const col = value.slice(0, eq).trim();
  const levels = parseList(value.slice(eq + 1));
  return { ...(previous ?? {}), [col]: levels };
}

/** A non-negative integer (e.g. `--nAGQ 25`). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return Number(value);
}

/** The GLMM families the CLI accepts, spelled as in R (`negbin` = glmer.nb's negative binomial). */
export const FAMILIES = ['binomial', 'poisson', 'Gamma', 'inverse.gaussian', 'gaussian', 'negbin'];

const FAMILY_ALIASES: Record<string, string> = {
  'negative.binomial': 'negbin',
  nbinom2: 'negbin',
  inverse_gaussian: 'inverse.gaussian',
};

/** A family name as R spells it (case-insensitive input: `gamma` -> `Gamma`). */
export function parseFamily(value: string): string {
  const v = value.trim();
  const alias = FAMILY_ALIASES[v.toLowerCase()];
  if (alias) return alias;
  const hit = FAMILIES.find((f) => f.toLowerCase() === v.toLowerCase());
  if (!hit) {
    throw new InvalidArgumentError(`unknown family '${v}' (one of: ${FAMILIES.join(', ')})`);
  }
  return hit;
}

/** The link functions of R's `make.link` that glmer accepts. */
export const LINKS = [
  'logit',
  'probit',
  'cauchit',
  'cloglog',
  'identity',
  'log',
  'sqrt',
  '1/mu^2',
  'inverse',
];

/** A link name as R spells it. */
export function parseLink(value: string): string {
  const v = value.trim();
  if (!LINKS.includes(v)) {
    throw new InvalidArgumentError(`unknown link '${v}' (one of: ${LINKS.join(', ')})`);
  }
  return v;
}

/** The `--vcov` rules: the Hessian over (θ, β) (lme4's default) or R_X. */
export const VCOV_RULES = ['hessian', 'RX'] as const;

/** A `--vcov` value (case-insensitive: `rx` -> `RX`). */
export function parseVcov(value: string): (typeof VCOV_RULES)[number] {
  const v = value.trim();
  const hit = VCOV_RULES.find((r) => r.toLowerCase() === v.toLowerCase());
  if (!hit) {
    throw new InvalidArgumentError(
      `unknown covariance rule '${v}' (one of: ${VCOV_RULES.join(', ')})`,
    );
  }
  return hit;
}

/** The model flags shared by `glmm anova` and `glmm fit-many` (`--ml` for REML: false). */
export type ModelFlags = Omit<ExampleOptions, 'REML'> & { ml?: boolean };

/** The lmer/glmer options those flags give (only the flags that were set). */
export function modelOptions(flags: ModelFlags): ExampleOptions {
  return {
    ...(flags.ml ? { REML: false } : {}),
    ...(flags.factors ? { factors: flags.factors } : {}),
    ...(flags.levels ? { levels: flags.levels } : {}),
    ...(flags.family !== undefined ? { family: flags.family } : {}),
    ...(flags.link !== undefined ? { link: flags.link } : {}),
    ...(flags.nAGQ !== undefined ? { nAGQ: flags.nAGQ } : {}),
    ...(flags.weights !== undefined ? { weights: flags.weights } : {}),
    ...(flags.offset !== undefined ? { offset: flags.offset } : {}),
  };
}
