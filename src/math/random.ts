/**
 * A seeded random number generator (xoshiro128**, seeded by splitmix32) and the variates that
 * simulating from a mixed model needs. Deterministic for a seed on every platform: the stream
 * depends only on 32-bit integer arithmetic and IEEE double operations.
 */

export class Rng {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0 || 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** The next 32 random bits. */
  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform on (0, 1) with 53 random bits (never 0 or 1). */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal (polar Box–Muller; the second variate of a pair is kept). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * f;
    return u * f;
  }

  /** Gamma with shape a and scale 1 (Marsaglia & Tsang; a < 1 by the boost u^(1/a)). */
  gamma(a: number): number {
    if (a < 1) return this.gamma(a + 1) * Math.pow(this.uniform(), 1 / a);
    const d = a - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Poisson with mean mu (inversion for mu < 30, Atkinson's rejection above). */
  poisson(mu: number): number {
    if (!(mu > 0)) return 0;
    if (mu < 30) {
      let k = 0;
      let p = Math.exp(-mu);
      let cdf = p;
      const u = this.uniform();
      while (u > cdf && k < 1000) {
        k++;
        p *= mu / k;
        cdf += p;
      }
      return k;
    }
    // Atkinson (1979), algorithm PA
    const c = 0.767 - 3.36 / mu;
    const beta = Math.PI / Math.sqrt(3 * mu);
    const alpha = beta * mu;
    const k = Math.log(c) - mu - Math.log(beta);
    for (;;) {
      const u = this.uniform();
      const x = (alpha - Math.log((1 - u) / u)) / beta;
      const n = Math.floor(x + 0.5);
      if (n < 0) continue;
      const v = this.uniform();
      const y = alpha - beta * x;
      const lhs = y + Math.log(v / (1 + Math.exp(y)) ** 2);
      const rhs = k + n * Math.log(mu) - logFactorial(n);
      if (lhs <= rhs) return n;
    }
  }

  /** Binomial with n trials and probability p (by inversion on the trial counts). */
  binomial(n: number, p: number): number {
    if (p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
      return k;
    }
    // inversion with the pmf recurrence from the mode's side nearest 0
    const q = 1 - p;
    let pk = Math.exp(n * Math.log(q));
    if (pk === 0) return Math.round(n * p + Math.sqrt(n * p * q) * this.normal()); // n very large
    let cdf = pk;
    let k = 0;
    const u = this.uniform();
    while (u > cdf && k < n) {
      pk *= ((n - k) / (k + 1)) * (p / q);
      k++;
      cdf += pk;
    }
    return k;
  }

  /** Negative binomial (NB2) with mean mu and size theta: Poisson with a Gamma mean. */
  negativeBinomial(mu: number, theta: number): number {
    return this.poisson((mu / theta) * this.gamma(theta));
  }

  /** Inverse Gaussian with mean mu and shape lambda (Michael, Schucany & Haas). */
  inverseGaussian(mu: number, lambda: number): number {
    const nu = this.normal();
    const y = nu * nu;
    const x =
      mu +
      (mu * mu * y) / (2 * lambda) -
      (mu / (2 * lambda)) * Math.sqrt(4 * mu * lambda * y + mu * mu * y * y);
    return this.uniform() <= mu / (mu + x) ? x : (mu * mu) / x;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  // Stirling series; exact enough for the rejection test above n ≥ 2
  let s = 0;
  if (n < 20) {
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return (
    (n + 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n ** 3)
  );
}
