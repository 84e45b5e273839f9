// Rows 10 and 11 on Piscina used directly (no asyncio-ts): `RT_WORKERS` threads, the task file
// rt-piscina-worker.js, everything else Piscina's defaults: the well-known pool to compare
// @asyncio-ts/executors' own thread pool with (it was first built on Piscina).
import { Piscina } from "piscina";
import type { Measurement } from "./params.js";
import { RT_WORKERS } from "./params.js";
import { type Call, latency, throughput } from "./round-trip.js";

async function withPiscina(body: (call: Call) => Promise<Measurement>): Promise<Measurement> {
  const pool = new Piscina<[number, number], number>({
    filename: new URL("./rt-piscina-worker.js", import.meta.url).href,
    minThreads: RT_WORKERS,
    maxThreads: RT_WORKERS,
  });
  try {
    return await body((a, b) => pool.run([a, b]));
  } finally {
    await pool.destroy();
  }
}

const mains: Record<string, () => Promise<Measurement>> = {
  rtt: () => withPiscina(latency),
  jobs: () => withPiscina(throughput),
};

export function runPiscina(name: string): Promise<Measurement> {
  const main = mains[name];
  if (main === undefined) throw new Error(`workload ${name} has no Piscina contender`);
  return main();
}
