// One measurement in a fresh process:
// `node --expose-gc dist/child.js <asyncio-ts|native|piscina> <workload>` prints one JSON line (a
// Measurement) and exits. With BENCH_WARMUP=1 (the driver's --warmup) the workload runs once
// first, unreported, so the JIT has seen it. `piscina` exists only for the executor rows. Each
// child loads only its own implementation's module.
import type { Measurement } from "./params.js";

type Runner = (name: string) => Promise<Measurement>;
const RUNNERS: Record<string, () => Promise<Runner>> = {
  "asyncio-ts": async () => (await import("./workloads-asyncio.js")).runAsyncio,
  native: async () => (await import("./workloads-native.js")).runNative,
  piscina: async () => (await import("./workloads-piscina.js")).runPiscina,
};

const [impl, name] = process.argv.slice(2);
const load = impl === undefined ? undefined : RUNNERS[impl];
if (name === undefined || load === undefined) {
  console.error("usage: node --expose-gc dist/child.js <asyncio-ts|native|piscina> <workload>");
  process.exit(2);
}
const runner = await load();

let m: Measurement;
try {
  const once = () => runner(name);
  if (process.env.BENCH_WARMUP === "1") await once();
  m = await once();
} catch (e) {
  console.error(e);
  process.exit(1);
}
// Exit explicitly: the native heap row leaves 10 s timers behind on purpose.
process.stdout.write(`${JSON.stringify(m)}\n`, () => process.exit(0));
