// The workloads on asyncio-ts. Each mirrors python/<name>.py line for line; timing runs inside
// the main coroutine, so loop creation and `run()`'s shutdown are not counted.

import { gather as gatherAll } from "@asyncio-ts/combinators";
import { ThreadPoolExecutor, toThread } from "@asyncio-ts/executors";
import { Queue } from "@asyncio-ts/sync";
import {
  asyncFor,
  asyncGenerator,
  type Coroutine,
  createTask,
  type Emit,
  getRunningLoop,
  isCancelledError,
  run,
  sleep,
  type Task,
} from "asyncio-ts";
import {
  CANCEL_SLEEP_S,
  HEAP_SLEEP_S,
  type Measurement,
  median,
  N_AGEN,
  N_CALLSOON,
  N_CANCEL,
  N_GATHER,
  N_HEAP,
  N_QUEUE,
  N_RT_JOBS,
  N_RT_LATENCY,
  N_RT_WARM,
  N_SLEEP0,
  N_SPAWN,
  N_TIMERS,
  QUEUE_MAXSIZE,
  RT_IN_FLIGHT,
  RT_WORKERS,
  SWITCH_EACH,
  SWITCH_TASKS,
  timerDelaysMs,
} from "./params.js";

const now = () => performance.now();

function* sleeper(d: number): Coroutine<void> {
  yield* sleep(d);
}

function* spawn(): Coroutine<Measurement> {
  const t0 = now();
  const tasks: Task<void>[] = new Array(N_SPAWN);
  for (let i = 0; i < N_SPAWN; i++) tasks[i] = createTask(sleeper(0));
  for (const t of tasks) yield* t;
  return { value: now() - t0, n: N_SPAWN };
}

function* sleep0(): Coroutine<Measurement> {
  const t0 = now();
  for (let i = 0; i < N_SLEEP0; i++) yield* sleep(0);
  return { value: now() - t0, n: N_SLEEP0 };
}

function* switcher(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* sleep(0);
}

function* switches(): Coroutine<Measurement> {
  const t0 = now();
  const tasks: Task<void>[] = new Array(SWITCH_TASKS);
  for (let i = 0; i < SWITCH_TASKS; i++) tasks[i] = createTask(switcher(SWITCH_EACH));
  for (const t of tasks) yield* t;
  return { value: now() - t0, n: SWITCH_TASKS * SWITCH_EACH };
}

function* callsoon(): Coroutine<Measurement> {
  const loop = getRunningLoop();
  const done = loop.createFuture<void>();
  let count = 0;
  const cb = () => {
    if (++count === N_CALLSOON) done.setResult(undefined);
  };
  const t0 = now();
  for (let i = 0; i < N_CALLSOON; i++) loop.callSoon(cb);
  yield* done;
  return { value: now() - t0, n: N_CALLSOON };
}

function* timers(): Coroutine<Measurement> {
  const delays = timerDelaysMs();
  const t0 = now();
  const tasks: Task<void>[] = new Array(N_TIMERS);
  for (let i = 0; i < N_TIMERS; i++) tasks[i] = createTask(sleeper(delays[i]! / 1000));
  for (const t of tasks) yield* t;
  return {
    value: now() - t0,
    n: N_TIMERS,
    extra: { delaySumMs: delays.reduce((a, b) => a + b, 0), maxDelayMs: Math.max(...delays) },
  };
}

function* heap(): Coroutine<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  gc();
  const before = process.memoryUsage().heapUsed;
  const tasks: Task<void>[] = new Array(N_HEAP);
  for (let i = 0; i < N_HEAP; i++) tasks[i] = createTask(sleeper(HEAP_SLEEP_S));
  // One iteration runs every task's first step (each parks in its timer); then main resumes.
  yield* sleep(0);
  gc();
  const after = process.memoryUsage().heapUsed;
  for (const t of tasks) t.cancel();
  for (const t of tasks) {
    try {
      yield* t;
    } catch (e) {
      if (!isCancelledError(e)) throw e;
    }
  }
  return { value: (after - before) / N_HEAP, n: N_HEAP, extra: { deltaBytes: after - before } };
}

function* cancel(): Coroutine<Measurement> {
  const tasks: Task<void>[] = new Array(N_CANCEL);
  for (let i = 0; i < N_CANCEL; i++) tasks[i] = createTask(sleeper(CANCEL_SLEEP_S));
  yield* sleep(0);
  const t0 = now();
  for (const t of tasks) t.cancel();
  let cancelled = 0;
  for (const t of tasks) {
    try {
      yield* t;
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      cancelled++;
    }
  }
  const value = now() - t0;
  if (cancelled !== N_CANCEL) throw new Error(`only ${cancelled} tasks were cancelled`);
  return { value, n: N_CANCEL };
}

function* gather(): Coroutine<Measurement> {
  const t0 = now();
  const tasks: Task<void>[] = new Array(N_GATHER);
  for (let i = 0; i < N_GATHER; i++) tasks[i] = createTask(sleeper(0));
  const results = yield* gatherAll(...tasks);
  const value = now() - t0;
  if (results.length !== N_GATHER) throw new Error(`gather gave ${results.length} results`);
  return { value, n: N_GATHER };
}

function* producer(q: Queue<number>, n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* q.put(i);
}

function* consumer(q: Queue<number>, n: number): Coroutine<number> {
  let total = 0;
  for (let i = 0; i < n; i++) total += yield* q.get();
  return total;
}

function* queue(): Coroutine<Measurement> {
  const t0 = now();
  const q = new Queue<number>(QUEUE_MAXSIZE);
  const prod = createTask(producer(q, N_QUEUE));
  const cons = createTask(consumer(q, N_QUEUE));
  yield* prod;
  const total = yield* cons;
  const value = now() - t0;
  if (total !== (N_QUEUE * (N_QUEUE - 1)) / 2) throw new Error(`consumer summed ${total}`);
  return { value, n: N_QUEUE, extra: { checksum: total } };
}

// ---- rows 10 and 11: toThread round trips ---------------------------------------------------

/**
 * The trivial job, shipped to the worker as source: a self-contained top-level function
 * declaration (params.ts has the same `add` for the other contenders).
 */
function add(a: number, b: number): number {
  return a + b;
}

/**
 * Runs `body` with the loop's default executor a `RT_WORKERS`-thread pool (what `toThread`
 * uses), started by `RT_IN_FLIGHT` jobs at once before any clock starts, as in round-trip.ts.
 */
function* withPool(body: () => Coroutine<Measurement>): Coroutine<Measurement> {
  const loop = getRunningLoop();
  loop.setDefaultExecutor(new ThreadPoolExecutor({ maxWorkers: RT_WORKERS }));
  const warm: Task<number>[] = [];
  for (let i = 0; i < RT_IN_FLIGHT; i++) warm.push(createTask(toThread(add, 0, 0)));
  for (const t of warm) yield* t;
  // run() shuts the default executor down when main returns.
  return yield* body();
}

function* rtt(): Coroutine<Measurement> {
  for (let i = 0; i < N_RT_WARM; i++) yield* toThread(add, i, 1);
  const times = new Array<number>(N_RT_LATENCY);
  let checksum = 0;
  for (let i = 0; i < N_RT_LATENCY; i++) {
    const t0 = now();
    checksum += yield* toThread(add, i, 1);
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

function* lane(j: number, each: number): Coroutine<number> {
  let sum = 0;
  for (let k = 0; k < each; k++) sum += yield* toThread(add, j * each + k, 1);
  return sum;
}

function* jobs(): Coroutine<Measurement> {
  const each = N_RT_JOBS / RT_IN_FLIGHT;
  const t0 = now();
  const lanes: Task<number>[] = [];
  for (let j = 0; j < RT_IN_FLIGHT; j++) lanes.push(createTask(lane(j, each)));
  let checksum = 0;
  for (const t of lanes) checksum += yield* t;
  const value = now() - t0;
  return { value, n: N_RT_JOBS, extra: { checksum, workers: RT_WORKERS, inFlight: RT_IN_FLIGHT } };
}

// ---- row 12: an async generator ---------------------------------------------------------------

const numbers = asyncGenerator(function* (emit: Emit<number>, n: number) {
  for (let i = 0; i < n; i++) yield* emit(i);
});

function* agen(): Coroutine<Measurement> {
  const t0 = now();
  let total = 0;
  // The body awaits nothing, as Python's `total += i` does, so it is a plain function.
  yield* asyncFor(numbers(N_AGEN), (i) => {
    total += i;
  });
  const value = now() - t0;
  if (total !== (N_AGEN * (N_AGEN - 1)) / 2) throw new Error(`consumer summed ${total}`);
  // The other two ways to consume it, for the JSON: a hand-written anext() loop, and asyncFor
  // with a generator-function body (a coroutine per item).
  let t1 = now();
  const g = numbers(N_AGEN);
  for (;;) {
    const r = yield* g.anext();
    if (r.done) break;
    total -= r.value;
  }
  const anextLoopMs = now() - t1;
  t1 = now();
  // biome-ignore lint/correctness/useYield: the point is a coroutine body that awaits nothing.
  yield* asyncFor(numbers(N_AGEN), function* (i) {
    total += i;
  });
  const generatorBodyMs = now() - t1;
  return { value, n: N_AGEN, extra: { checksum: total, anextLoopMs, generatorBodyMs } };
}

const mains: Record<string, () => Coroutine<Measurement>> = {
  spawn,
  sleep0,
  switches,
  callsoon,
  timers,
  heap,
  cancel,
  gather,
  queue,
  rtt: () => withPool(rtt),
  jobs: () => withPool(jobs),
  agen,
};

export function runAsyncio(name: string): Promise<Measurement> {
  const main = mains[name];
  if (main === undefined) throw new Error(`unknown workload ${name}`);
  return run(main());
}
