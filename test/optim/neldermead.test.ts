import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/optim/neldermead';
import { counted, profiledDeviance, lcg, referenceMin1D, rosenbrock, unbounded } from './problems';

describe('nelderMead', () => {
  it('2-D Rosenbrock from (-1.2, 1)', () => {
    const f = counted(rosenbrock);
    const r = nelderMead(f, [-1.2, 1], unbounded(2));
    expect(r.method).toBe('nelder-mead');
    expect(r.converged).toBe(true);
    expect(r.evaluations).toBe(f.calls);
    expect(r.fval).toBeLessThan(1e-10);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-5);
  });

  it('4-D Rosenbrock', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1, -1.2, 1], unbounded(4));
    expect(r.converged).toBe(true);
    expect(r.fval).toBeLessThan(1e-9);
  });

  it('quadratic with its minimum outside the box: solution on the bounds', () => {
    const f = (x: readonly number[]) =>
      (x[0] - 3) ** 2 + 2 * (x[1] + 2) ** 2 + (x[2] - 0.5) ** 2 + 0.5 * x[0] * x[1];
    let feasible = true;
    const g = (x: readonly number[]) => {
      if (x[0] < 0 || x[0] > 1 || x[1] < -1 || x[1] > 1 || x[2] < 0 || x[2] > 1) feasible = false;
      return f(x);
    };
    const r = nelderMead(g, [0.5, 0, 0.5], { lower: [0, -1, 0], upper: [1, 1, 1] });
    expect(feasible).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[1] + 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[2] - 0.5)).toBeLessThan(1e-5);
  });

  it('n = 1 at the bound 0 with the optimum at negative x', () => {
    const r = nelderMead((x) => (x[0] + 1) ** 2, [0], { lower: [0], upper: [Infinity] });
    expect(r.x[0]).toBe(0);
  });

  it('n = 1 profiled deviance', () => {
    const rnd = lcg(7);
    const a = Array.from({ length: 30 }, () => 0.5 + 10 * rnd());
    const y = a.map((ai) => (rnd() - 0.5) * Math.sqrt(1 + 0.8 * ai) * 3);
    const f = profiledDeviance(a, y);
    const ref = referenceMin1D((t) => f([t]), 0, 10);
    const r = nelderMead(f, [1], { lower: [0], upper: [Infinity] });
    expect(Math.abs(r.fval - ref.f)).toBeLessThan(1e-10);
  });

  it('Infinity in part of the domain is avoided', () => {
    const f = (x: readonly number[]) =>
      x[0] < -0.2 ? Infinity : (x[0] - 1) ** 2 + (x[1] - 1) ** 2 + x[0] * x[1];
    const r = nelderMead(f, [0, 0], { ...unbounded(2), rhobeg: 0.5 });
    expect(Math.abs(r.x[0] - 2 / 3)).toBeLessThan(1e-5);
    expect(Math.abs(r.x[1] - 2 / 3)).toBeLessThan(1e-5);
  });

  it('maxEval', () => {
    const f = counted(rosenbrock);
    const r = nelderMead(f, [-1.2, 1], { ...unbounded(2), maxEval: 25 });
    expect(r.converged).toBe(false);
    expect(r.evaluations).toBe(25);
    expect(f.calls).toBe(25);
  });

  it('fixed variables', () => {
    const r = nelderMead((x) => (x[0] - 1) ** 2 + x[1] ** 2, [0, 3], {
      lower: [-5, 3],
      upper: [5, 3],
    });
    expect(r.x[1]).toBe(3);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-6);
  });
});
