/**
 * Default guest application work per operation of each workload type, used when a scenario does not
 * give its own (`guestCyclesPerOp`, `guestCyclesPerRequest`). Tags as in `env/sim/costs.ts`: [INF] an
 * estimate from the application's known per-operation work.
 */
/** Guest application cycles per operation of each workload (defaults; scenarios may override). */
export const DEFAULT_APP_CYCLES = Object.freeze({
  // [INF] netserver's loop: recv + send syscalls, each counted via guestSyscallCycles; no extra work.
  rr: 0,
  // [INF] memcached GET/SET ≈ 5 µs of user work per op (hash, LRU, item copy): ≈ 10,000 cycles.
  memcached: 10_000,
  // [INF] Apache static page ≈ 50 µs per request (parsing, file lookup, logging): ≈ 110,000 cycles.
  apache: 110_000,
});
