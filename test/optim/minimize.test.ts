import { describe, expect, it } from 'vitest';
import { minimize } from '../../src/optim/minimize';
import { counted, rosenbrock, unbounded } from './problems';

describe('minimize', () => {
  it('uses BOBYQA by default', () => {
    const r = minimize(rosenbrock, [-1.2, 1], unbounded(2));
    expect(r.method).toBe('bobyqa');
    expect(r.fval).toBeLessThan(1e-10);
  });

  it("method: 'nelder-mead' runs Nelder–Mead", () => {
    const r = minimize(rosenbrock, [-1.2, 1], { ...unbounded(2), method: 'nelder-mead' });
    expect(r.method).toBe('nelder-mead');
    expect(r.fval).toBeLessThan(1e-10);
  });

  it('falls back to Nelder–Mead when BOBYQA throws (f not finite at the start)', () => {
    // f is Infinity at the start (x0 = (3, 3)) but finite nearby.
    const f = counted((x: readonly number[]) =>
      x[0] > 2.9 && x[1] > 2.9 ? Infinity : (x[0] - 1) ** 2 + (x[1] - 2) ** 2,
    );
    const r = minimize(f, [3, 3], { ...unbounded(2), rhobeg: 0.5 });
    expect(r.method).toBe('nelder-mead');
    expect(r.message).toMatch(/bobyqa failed/);
    expect(r.message).toMatch(/Nelder–Mead/);
    expect(r.evaluations).toBe(f.calls);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-5);
    expect(Math.abs(r.x[1] - 2)).toBeLessThan(1e-5);
  });

  it('falls back when f throws inside BOBYQA, starting from the best point so far', () => {
    let calls = 0;
    const f = (x: readonly number[]) => {
      calls++;
      if (calls === 10) throw new Error('boom');
      return (x[0] - 0.5) ** 2 + (x[1] + 0.25) ** 2;
    };
    const r = minimize(f, [0, 0], unbounded(2));
    expect(r.method).toBe('nelder-mead');
    expect(r.message).toMatch(/boom/);
    expect(Math.abs(r.x[0] - 0.5)).toBeLessThan(1e-5);
    expect(Math.abs(r.x[1] + 0.25)).toBeLessThan(1e-5);
  });

  it('respects maxEval across both methods', () => {
    const f = counted((x: readonly number[]) => (x[0] > 0.9 ? Infinity : (x[0] - 1) ** 2));
    const r = minimize(f, [1], { lower: [-5], upper: [5], maxEval: 20 });
    expect(f.calls).toBeLessThanOrEqual(20);
    expect(r.evaluations).toBe(f.calls);
  });
});
