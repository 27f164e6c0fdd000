/**
 * Catalogue: options. Misspelt keys (an OptionError suggesting the right one), options of the
 * other fitting function, `levels` and `factors` naming no column, bad control records, θ
 * starts of the wrong length or below their bounds, values of the wrong type.
 */
import { DataError, OptionError } from '../../src/errors';
import { loadCsv } from '../helpers/fixtures';
import { catalogue, glmm, lmm, small, type Backend, type Entry } from './catalogue';

const F = 'y ~ x + (1 | g)';
const L = (options: unknown) => (backend: Backend) => lmm(F, small(), options, backend);
const P = (options: unknown) => (backend: Backend) =>
  glmm('c ~ x + (1 | g)', small(), { family: 'poisson', ...(options as object) }, backend);

/** An OptionError naming `option`, with the message patterns. */
function bad(input: string, run: Entry['run'], option: string, ...message: string[]): Entry {
  return { input, run, error: OptionError, names: { option }, message };
}

const sleep = () => loadCsv('sleepstudy.csv');

catalogue('options', [
  // misspelt and misplaced keys
  bad('nAGq for nAGQ', P({ nAGq: 2 }), 'nAGq', "unknown option of glmer (did you mean 'nAGQ'?)"),
  bad('REMl for REML', L({ REMl: false }), 'REMl', "did you mean 'REML'?"),
  bad('Weights for weights', L({ Weights: 'x' }), 'Weights', "did you mean 'weights'?"),
  bad(
    "factors: ['Dayz'] on sleepstudy",
    (backend) => lmm('Reaction ~ Days + (1 | Subject)', sleep(), { factors: ['Dayz'] }, backend),
    'factors',
    "names no column of the data: 'Dayz' (did you mean 'Days'?)",
  ),
  bad(
    'family passed to lmer',
    L({ family: 'poisson' }),
    'family',
    "'family' is an option of glmer, not lmer",
  ),
  bad('nAGQ passed to lmer', L({ nAGQ: 25 }), 'nAGQ', "'nAGQ' is an option of glmer, not lmer"),
  bad('link passed to lmer', L({ link: 'log' }), 'link', 'is an option of glmer'),
  bad(
    'theta with poisson',
    P({ theta: 2 }),
    'theta',
    "fixes the negative binomial θ; it does not apply to family 'poisson'",
  ),
  bad(
    'REML: true with a binomial glmer',
    (backend) => glmm('b ~ x + (1 | g)', small(), { family: 'binomial', REML: true }, backend),
    'REML',
    'applies to linear mixed models only; a binomial GLMM is fitted by maximum likelihood',
  ),
  bad('REML: false with a Poisson glmer', P({ REML: false }), 'REML', 'linear mixed models only'),
  bad(
    'nAGQ with glmer’s gaussian shortcut',
    (backend) => glmm(F, small(), { nAGQ: 5 }, backend),
    'nAGQ',
    'does not apply to a gaussian model with identity link',
  ),
  bad(
    "an option key from Object.prototype ('constructor')",
    L({ constructor: 1 }),
    'constructor',
    'unknown option of lmer',
  ),
  bad(
    "an own '__proto__' key",
    L(JSON.parse('{"__proto__": {"REML": false}}')),
    '__proto__',
    'unknown option of lmer',
  ),
  bad(
    "glmer: an option key from Object.prototype ('toString')",
    P({ toString: 'x' }),
    'toString',
    'unknown option of glmer',
  ),
  // levels
  bad(
    'levels for an unknown column',
    L({ levels: { gg: ['g0', 'g1'] } }),
    'levels',
    "names no column of the data: 'gg' (did you mean 'g'?)",
  ),
  bad(
    'levels for a factor() call the formula does not have',
    (backend) =>
      lmm(
        'Reaction ~ factor(Days) + (1 | Subject)',
        sleep(),
        { levels: { 'factor(Dayz)': ['0', '1'] } },
        backend,
      ),
    'levels',
    "names no factor() call of the formula: 'factor(Dayz)' (did you mean 'factor(Days)'?)",
  ),
  {
    input: 'levels that leave out a level the data have',
    run: L({ levels: { g: ['g0', 'g1'] } }),
    error: DataError,
    names: { column: 'g', row: 9 },
    message: ["value 'g2' of column 'g' (row 9) is not among the levels given for it: g0, g1"],
  },
  {
    input: 'levels with a duplicate',
    run: L({ levels: { g: ['g0', 'g0', 'g1', 'g2', 'g3', 'g4', 'g5'] } }),
    error: DataError,
    names: { column: 'g' },
    message: ["the levels given for 'g' contain duplicates"],
  },
  bad(
    'levels of a column given as a string',
    L({ levels: { g: 'g0' } }),
    'levels',
    "levels of 'g' must be an array of labels",
  ),
  bad(
    'levels given as an array',
    L({ levels: ['g0'] }),
    'levels',
    'must be an object { column: [levels...] }',
  ),
  bad(
    'factors given as a string',
    L({ factors: 'x' }),
    'factors',
    'must be an array of column names',
  ),
  bad(
    'factors given as numbers',
    L({ factors: [1] }),
    'factors',
    'must be an array of column names',
  ),
  // control
  bad(
    'control with an unknown section',
    L({ control: { optimiser: {} } }),
    'optimiser',
    "unknown option of control (did you mean 'optimizer'?)",
  ),
  bad(
    'control.optimizer.rhoEnd',
    L({ control: { optimizer: { rhoEnd: 1e-8 } } }),
    'control.optimizer.rhoEnd',
    "did you mean 'rhoend'?",
  ),
  bad(
    'control.checks.gradtol',
    L({ control: { checks: { gradtol: 1 } } }),
    'control.checks.gradtol',
    "did you mean 'gradTol'?",
  ),
  bad(
    'control.pirls.maxiter',
    P({ control: { pirls: { maxiter: 5 } } }),
    'control.pirls.maxiter',
    "did you mean 'maxIter'?",
  ),
  bad(
    "control.optimizer.method 'nelder_mead'",
    L({ control: { optimizer: { method: 'nelder_mead' } } }),
    'control.optimizer.method',
    "did you mean 'nelder-mead'?",
  ),
  bad(
    "control.vcov 'hess'",
    L({ control: { vcov: 'hess' } }),
    'control.vcov',
    "did you mean 'hessian'?",
  ),
  bad(
    'control.optimizer.maxEval 0',
    L({ control: { optimizer: { maxEval: 0 } } }),
    'control.optimizer.maxEval',
    'must be an integer ≥ 1, got 0',
  ),
  bad(
    'control.optimizer.maxEval 1.5',
    L({ control: { optimizer: { maxEval: 1.5 } } }),
    'control.optimizer.maxEval',
    'must be an integer ≥ 1, got 1.5',
  ),
  bad(
    'control.optimizer.rhobeg Infinity',
    L({ control: { optimizer: { rhobeg: Infinity } } }),
    'control.optimizer.rhobeg',
    'must be a number > 0, got Infinity',
  ),
  bad(
    'control.pirls.tol as a string',
    P({ control: { pirls: { tol: '1e-8' } } }),
    'control.pirls.tol',
    'must be a number > 0, got "1e-8"',
  ),
  bad(
    'control.checks.gradTol negative',
    L({ control: { checks: { gradTol: -1 } } }),
    'control.checks.gradTol',
    'must be a number ≥ 0, got -1',
  ),
  bad(
    'control.derivativeStep 0',
    L({ control: { derivativeStep: 0 } }),
    'control.derivativeStep',
    'must be a number > 0',
  ),
  bad('control as a string', L({ control: 'fast' }), 'control', 'must be an object, got "fast"'),
  bad(
    'control.optimizer null',
    L({ control: { optimizer: null } }),
    'control.optimizer',
    'must be an object, got null',
  ),
  // start
  bad(
    'start of the wrong length',
    L({ start: [1, 2] }),
    'start',
    'has 2 values but the model has 1 θ parameters (g.(Intercept))',
  ),
  bad(
    'start below its bound',
    L({ start: [-1] }),
    'start',
    "θ 'g.(Intercept)' = -1 is below its lower bound 0",
  ),
  bad(
    'start below its bound on a slope model',
    (backend) =>
      lmm('Reaction ~ Days + (Days | Subject)', sleep(), { start: [1, 0, -0.5] }, backend),
    'start',
    "θ 'Subject.Days' = -0.5 is below its lower bound 0",
  ),
  bad('start with NaN', L({ start: [NaN] }), 'start', 'must be an array of finite numbers'),
  bad('start as a number', L({ start: 1 }), 'start', 'must be an array of θ values in lme4 order'),
  bad('start with a string', L({ start: ['1'] }), 'start', 'must be an array of finite numbers'),
  bad(
    'control.optimizer.start of the wrong length',
    L({ control: { optimizer: { start: [1, 2] } } }),
    'control.optimizer.start',
    'has 2 values but the model has 1 θ parameters',
  ),
  bad(
    'glmer start of the wrong length',
    P({ start: [] }),
    'start',
    'has 0 values but the model has 1',
  ),
  // wrong types
  bad('REML as a string', L({ REML: 'yes' }), 'REML', 'must be true or false, got "yes"'),
  bad('lmer options = null', L(null), 'options', 'must be an object, got null'),
  bad(
    'glmer options = null',
    (backend) => glmm('c ~ x + (1 | g)', small(), null, backend),
    'options',
    'must be an object, got null',
  ),
  bad('options as an array', L([]), 'options', 'must be an object, got an array of length 0'),
  bad('nAGQ as a string', P({ nAGQ: '2' }), 'nAGQ', 'must be an integer ≥ 0 and ≤ 100, got "2"'),
  bad('nAGQ 101', P({ nAGQ: 101 }), 'nAGQ', 'got 101'),
  bad('nAGQ 2.5', P({ nAGQ: 2.5 }), 'nAGQ', 'got 2.5'),
  bad('nAGQ -1', P({ nAGQ: -1 }), 'nAGQ', 'got -1'),
  bad(
    "backend 'gpu'",
    L({ backend: 'gpu' }),
    'backend',
    "must be one of 'wasm', 'js', got \"gpu\"",
  ),
  bad('onProgress as a string', L({ onProgress: 'log' }), 'onProgress', 'must be a function'),
  bad('dataName as a number', L({ dataName: 5 }), 'dataName', 'must be a string'),
  bad(
    'weights as an object',
    L({ weights: { a: 1 } }),
    'weights',
    'must be a column name or an array with one number per row, got an object',
  ),
  bad('weights = null', L({ weights: null }), 'weights', 'got null'),
  bad('offset as a number', L({ offset: 3 }), 'offset', 'got 3'),
  bad(
    'negative binomial theta ≤ 0',
    (backend) => glmm('c ~ x + (1 | g)', small(), { family: 'negbin', theta: -1 }, backend),
    'theta',
    'must be a number > 0, got -1',
  ),
]);
