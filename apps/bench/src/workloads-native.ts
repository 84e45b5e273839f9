// The native Node floors: the closest plain async-function / promise / host-timer program for each
// workload, with no event loop of our own. `FLOORS` says which primitive each one uses.
import {
  CANCEL_SLEEP_S,
  HEAP_SLEEP_S,
  type Measurement,
  N_CALLSOON,
  N_CANCEL,
  N_HEAP,
  N_SLEEP0,
  N_SPAWN,
  N_TIMERS,
  SWITCH_EACH,
  SWITCH_TASKS,
  timerDelaysMs,
} from "./params.js";

const now = () => performance.now();
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function spawn(): Promise<Measurement> {
  const body = async () => {
    await null;
  };
  const t0 = now();
  const ps: Promise<void>[] = new Array(N_SPAWN);
  for (let i = 0; i < N_SPAWN; i++) ps[i] = body();
  for (const p of ps) await p;
  return { value: now() - t0, n: N_SPAWN };
}

async function sleep0(): Promise<Measurement> {
  const t0 = now();
  for (let i = 0; i < N_SLEEP0; i++) await null;
  return { value: now() - t0, n: N_SLEEP0 };
}

async function switches(): Promise<Measurement> {
  const switcher = async (k: number) => {
    for (let i = 0; i < k; i++) await null;
  };
  const t0 = now();
  const ps: Promise<void>[] = new Array(SWITCH_TASKS);
  for (let i = 0; i < SWITCH_TASKS; i++) ps[i] = switcher(SWITCH_EACH);
  for (const p of ps) await p;
  return { value: now() - t0, n: SWITCH_TASKS * SWITCH_EACH };
}

async function callsoon(): Promise<Measurement> {
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let count = 0;
  const cb = () => {
    if (++count === N_CALLSOON) resolveDone();
  };
  const t0 = now();
  for (let i = 0; i < N_CALLSOON; i++) queueMicrotask(cb);
  await done;
  return { value: now() - t0, n: N_CALLSOON };
}

async function timers(): Promise<Measurement> {
  const delays = timerDelaysMs();
  const sleeper = async (ms: number) => {
    await delay(ms);
  };
  const t0 = now();
  const ps: Promise<void>[] = new Array(N_TIMERS);
  for (let i = 0; i < N_TIMERS; i++) ps[i] = sleeper(delays[i]!);
  for (const p of ps) await p;
  return {
    value: now() - t0,
    n: N_TIMERS,
    extra: { delaySumMs: delays.reduce((a, b) => a + b, 0), maxDelayMs: Math.max(...delays) },
  };
}

async function heap(): Promise<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  const sleeper = async (ms: number) => {
    await delay(ms);
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const ps: Promise<void>[] = new Array(N_HEAP);
  for (let i = 0; i < N_HEAP; i++) ps[i] = sleeper(HEAP_SLEEP_S * 1000);
  await tick();
  gc();
  const after = process.memoryUsage().heapUsed;
  // The timers would hold the process for HEAP_SLEEP_S: the driver reads the line and we leave.
  return { value: (after - before) / N_HEAP, n: N_HEAP, extra: { deltaBytes: after - before } };
}

async function cancel(): Promise<Measurement> {
  const sleeper = async (signal: AbortSignal) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, CANCEL_SLEEP_S * 1000);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  };
  const controllers: AbortController[] = new Array(N_CANCEL);
  const ps: Promise<void>[] = new Array(N_CANCEL);
  for (let i = 0; i < N_CANCEL; i++) {
    const c = new AbortController();
    controllers[i] = c;
    ps[i] = sleeper(c.signal);
  }
  await tick();
  const t0 = now();
  for (const c of controllers) c.abort();
  let cancelled = 0;
  for (const p of ps) {
    try {
      await p;
    } catch {
      cancelled++;
    }
  }
  const value = now() - t0;
  if (cancelled !== N_CANCEL) throw new Error(`only ${cancelled} promises were aborted`);
  return { value, n: N_CANCEL };
}

const mains: Record<string, () => Promise<Measurement>> = {
  spawn,
  sleep0,
  switches,
  callsoon,
  timers,
  heap,
  cancel,
};

export function runNative(name: string): Promise<Measurement> {
  const main = mains[name];
  if (main === undefined) throw new Error(`unknown workload ${name}`);
  return main();
}
