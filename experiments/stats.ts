/**
 * Statistics of the experiment tables, through mathjs (imported lazily: it costs ≈ 0.5 s to load,
 * `docs/stack.md` §2). The 95% confidence interval of a mean is Student-t based:
 * mean ± t(0.975, n − 1) · s / √n, with s the sample standard deviation (n − 1 in the denominator).
 * mathjs has no Student-t quantile, so it is computed here from the t CDF, itself the regularised
 * incomplete beta function (Numerical Recipes' continued fraction, with mathjs' lgamma), inverted by
 * bisection to 1e-12. With one sample the CI is undefined (NaN).
 */
type MathJs = typeof import('mathjs');
let mathjs: MathJs | undefined;

/** Loads mathjs once; every statistic below needs it first. */
export async function loadMath(): Promise<MathJs> {
  mathjs ??= await import('mathjs');
  return mathjs;
}

function math(): MathJs {
  if (!mathjs) throw new Error('stats: call `await loadMath()` first');
  return mathjs;
}

export interface Summary {
  n: number;
  mean: number;
  std: number;
  /** Half-width of the 95% t-based CI of the mean (NaN with n < 2). */
  ci95: number;
  min: number;
  max: number;
}

/** Regularised incomplete beta I_x(a, b). */
function betaInc(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const m = math();
  const lbeta = (m.lgamma(a + b) as number) - (m.lgamma(a) as number) - (m.lgamma(b) as number);
  const front = Math.exp(lbeta + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaCf(x, a, b)) / a;
  return 1 - (front * betaCf(1 - x, b, a)) / b;
}

function betaCf(x: number, a: number, b: number): number {
  const FPMIN = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let i = 1; i <= 300; i++) {
    const m2 = 2 * i;
    let aa = (i * (b - i) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d; h *= d * c;
    aa = (-(a + i) * (a + b + i) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** CDF of Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * betaInc(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (p in (0, 1)). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** n, mean, sample std, 95% CI half-width, min, max of the finite values (NaN fields when none). */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN, ci95: NaN, min: NaN, max: NaN };
  const m = math();
  const mean = m.mean(xs) as number;
  const std = n > 1 ? (m.std(xs, 'unbiased') as unknown as number) : NaN;
  const ci95 = n > 1 ? tQuantile(0.975, n - 1) * (std / Math.sqrt(n)) : NaN;
  return { n, mean, std, ci95, min: m.min(xs) as number, max: m.max(xs) as number };
}
