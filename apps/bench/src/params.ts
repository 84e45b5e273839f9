// Workload sizes and the delay generator, shared by the asyncio-ts and native children.
// python/bench_common.py holds the same numbers; every child echoes `n` (and, for the timer
// row, a checksum of its delays) and the driver refuses rows whose children disagree.

export const N_SPAWN = 100_000;
export const N_SLEEP0 = 1_000_000;
export const SWITCH_TASKS = 10_000;
export const SWITCH_EACH = 100;
export const N_CALLSOON = 1_000_000;
export const N_TIMERS = 100_000;
export const MAX_DELAY_MS = 50;
export const SEED = 20240601;
export const N_HEAP = 100_000;
/** Seconds each task of the heap row sleeps; the measurement is taken long before that. */
export const HEAP_SLEEP_S = 10;
export const N_CANCEL = 100_000;
export const CANCEL_SLEEP_S = 10;
export const N_GATHER = 100_000;
export const N_QUEUE = 1_000_000;
/** The bounded queue's capacity in the queue row (`Queue(100)` / `asyncio.Queue(100)`). */
export const QUEUE_MAXSIZE = 100;
/** Row 12: items produced by one async generator and consumed by `asyncFor` / `async for`. */
export const N_AGEN = 1_000_000;

/**
 * mulberry32: a 32-bit PRNG that is a few lines of integer arithmetic, so python/bench_common.py
 * reproduces it bit for bit.
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) | 0) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The timer row's delays: whole milliseconds in [0, MAX_DELAY_MS], the same in all three. */
export function timerDelaysMs(): number[] {
  const rnd = mulberry32(SEED);
  const out = new Array<number>(N_TIMERS);
  for (let i = 0; i < N_TIMERS; i++) out[i] = Math.floor(rnd() * (MAX_DELAY_MS + 1));
  return out;
}

/** One child's answer: the one JSON line it prints. */
export interface Measurement {
  /**
   * Milliseconds for the timed rows, bytes per task for the heap row, microseconds per round trip
   * for the latency row.
   */
  value: number;
  /** The workload size the child actually ran (checked against the other implementations). */
  n: number;
  /** Extra facts (e.g. the delay checksum, the largest delay). */
  extra?: Record<string, number>;
}

// ---- the executor round-trip rows (10, 11) ----------------------------------------------------

/** Worker threads in every contender's pool (toThread's default executor, Piscina, raw, CPython). */
export const RT_WORKERS = 2;
/** Row 10: sequential round trips of `add(i, 1)`, one at a time. */
export const N_RT_LATENCY = 2000;
/** Row 10: round trips made the same way before the clock starts (the JIT's and the pool's warm-up). */
export const N_RT_WARM = 500;
/** Row 11: `add` jobs in all, kept `RT_IN_FLIGHT` at a time (that many lanes, one job each). */
export const N_RT_JOBS = 20_000;
export const RT_IN_FLIGHT = 4 * RT_WORKERS;

/** The median of `xs` (not modified). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
