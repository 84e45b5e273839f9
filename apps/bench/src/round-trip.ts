// Rows 10 and 11 for the contenders driven by plain async functions (the raw worker_threads floor
// and Piscina used directly): the same driver for both, so only the pool differs.
// workloads-asyncio.ts runs the same shape as coroutines through toThread, and
// python/rtt.py and python/jobs.py through asyncio.to_thread.
import {
  type Measurement,
  median,
  N_RT_JOBS,
  N_RT_LATENCY,
  N_RT_WARM,
  RT_IN_FLIGHT,
  RT_WORKERS,
} from "./params.js";

/** One round trip: `add(a, b)` computed in a worker, its result back on this thread. */
export type Call = (a: number, b: number) => Promise<number>;

const now = () => performance.now();

/** Start the pool's workers: `RT_IN_FLIGHT` jobs at once, awaited, before any clock starts. */
async function warm(call: Call): Promise<void> {
  await Promise.all(Array.from({ length: RT_IN_FLIGHT }, () => call(0, 0)));
}

/**
 * Row 10: `N_RT_WARM` sequential round trips untimed, then `N_RT_LATENCY` timed; the median of
 * their times, in µs.
 */
export async function latency(call: Call): Promise<Measurement> {
  await warm(call);
  for (let i = 0; i < N_RT_WARM; i++) await call(i, 1);
  const times = new Array<number>(N_RT_LATENCY);
  let checksum = 0;
  for (let i = 0; i < N_RT_LATENCY; i++) {
    const t0 = now();
    checksum += await call(i, 1);
    times[i] = now() - t0;
  }
  return {
    value: median(times) * 1000,
    n: N_RT_LATENCY,
    extra: {
      checksum,
      workers: RT_WORKERS,
      meanUs: (times.reduce((a, b) => a + b) / N_RT_LATENCY) * 1000,
    },
  };
}

/** Row 11: `N_RT_JOBS` jobs through `RT_IN_FLIGHT` lanes, each one job at a time; in ms. */
export async function throughput(call: Call): Promise<Measurement> {
  await warm(call);
  const each = N_RT_JOBS / RT_IN_FLIGHT;
  const lane = async (j: number) => {
    let sum = 0;
    for (let k = 0; k < each; k++) sum += await call(j * each + k, 1);
    return sum;
  };
  const t0 = now();
  const lanes: Promise<number>[] = [];
  for (let j = 0; j < RT_IN_FLIGHT; j++) lanes.push(lane(j));
  let checksum = 0;
  for (const l of lanes) checksum += await l;
  const value = now() - t0;
  return { value, n: N_RT_JOBS, extra: { checksum, workers: RT_WORKERS, inFlight: RT_IN_FLIGHT } };
}
