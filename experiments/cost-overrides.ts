/**
 * `--cost name=value` flags: overrides of numeric entries of the cost table (`env/sim/costs.ts`), checked
 * at the boundary so a typo is a one-line usage error, not a silently ignored key.
 */
import { DEFAULT_COSTS, type Costs } from '../env/sim/costs.js';
import { isScalarCost, type ScalarCost } from '../env/sim/cost-sources.js';
import { UsageError } from './errors.js';

const POSITIVE = /Bytes$|^ringSize$|^napiWeight$|^managerSampleNs$/;
const WHOLE: ReadonlySet<string> = new Set(['ringSize', 'napiWeight']);

/** Parses `--cost` values (one string or many, each a comma-separated list) into cost overrides; throws UsageError on a bad one. */
export function parseCostOverrides(flag: unknown): Partial<Costs> {
  // repeated (--cost a=1 --cost b=2) or comma-separated (--cost a=1,b=2), like the CLI's other list options
  const items = (flag === undefined ? [] : Array.isArray(flag) ? flag : [flag]).flatMap((f) => String(f).split(','));
  const out: Partial<Record<ScalarCost, number>> = {};
  for (const raw of items) {
    const m = /^([A-Za-z]\w*)=(.+)$/.exec(String(raw));
    if (!m) throw new UsageError(`--cost must be name=value (e.g. --cost idleWakeNs=2000), got ${JSON.stringify(String(raw))}`);
    const [, name, text] = m as unknown as [string, string, string];
    if (!isScalarCost(name)) {
      const why = Object.hasOwn(DEFAULT_COSTS, name) ? 'is a table, not a number' : 'is not a cost entry (see iocm-gym costs)';
      throw new UsageError(`--cost ${name} ${why}`);
    }
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new UsageError(`--cost ${name} must be a finite number >= 0, got ${JSON.stringify(text)}`);
    // sizes, counts and the manager's period divide or count things: they must be positive (counts whole)
    if (v === 0 && POSITIVE.test(name)) throw new UsageError(`--cost ${name} must be > 0, got ${text}`);
    if (!Number.isInteger(v) && WHOLE.has(name)) throw new UsageError(`--cost ${name} must be a whole number, got ${text}`);
    if (Object.hasOwn(out, name)) throw new UsageError(`--cost ${name} is given twice`);
    out[name] = v;
  }
  return out;
}
