// One measurement in a fresh process: `node --expose-gc dist/child.js <asyncio-ts|native> <workload>`
// prints one JSON line (a Measurement) and exits. With BENCH_WARMUP=1 (the driver's --warmup) the
// workload runs once first, unreported, so the JIT has seen it.
import type { Measurement } from "./params.js";
import { runAsyncio } from "./workloads-asyncio.js";
import { runNative } from "./workloads-native.js";

const [impl, name] = process.argv.slice(2);
if (name === undefined || (impl !== "asyncio-ts" && impl !== "native")) {
  console.error("usage: node --expose-gc dist/child.js <asyncio-ts|native> <workload>");
  process.exit(2);
}

let m: Measurement;
try {
  const once = () => (impl === "asyncio-ts" ? runAsyncio(name) : runNative(name));
  if (process.env.BENCH_WARMUP === "1") await once();
  m = await once();
} catch (e) {
  console.error(e);
  process.exit(1);
}
// Exit explicitly: the native heap row leaves 10 s timers behind on purpose.
process.stdout.write(`${JSON.stringify(m)}\n`, () => process.exit(0));
