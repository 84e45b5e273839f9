// The native Node floors: the closest plain async-function / promise / host-timer program for each
// workload, with no event loop of our own. `FLOORS` says which primitive each one uses.
import { Worker } from "node:worker_threads";
import {
  CANCEL_SLEEP_S,
  HEAP_SLEEP_S,
  type Measurement,
  N_AGEN,
  N_CALLSOON,
  N_CANCEL,
  N_GATHER,
  N_HEAP,
  N_QUEUE,
  N_SLEEP0,
  N_SPAWN,
  N_TIMERS,
  QUEUE_MAXSIZE,
  RT_WORKERS,
  SWITCH_EACH,
  SWITCH_TASKS,
  timerDelaysMs,
} from "./params.js";
import { type Call, latency, throughput } from "./round-trip.js";

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

async function gather(): Promise<Measurement> {
  const body = async () => {
    await null;
  };
  const t0 = now();
  const ps: Promise<void>[] = new Array(N_GATHER);
  for (let i = 0; i < N_GATHER; i++) ps[i] = body();
  const results = await Promise.all(ps);
  const value = now() - t0;
  if (results.length !== N_GATHER) throw new Error(`Promise.all gave ${results.length} results`);
  return { value, n: N_GATHER };
}

/** A FIFO of waiters: an array read from a moving head, compacted when half of it is dead. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(x: T): void {
    this.items.push(x);
  }

  shift(): T {
    const x = this.items[this.head] as T;
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

/** What `Channel.poll()` returns when there is nothing to take. */
const EMPTY: unique symbol = Symbol("empty");

/**
 * The queue row's floor: a minimal promise-based bounded channel. The buffer is a ring of
 * `capacity` slots; getters and putters that must wait queue up FIFO, so it is fair: the
 * longest-waiting getter gets the next item, and the longest-waiting putter's item goes in
 * next. Like asyncio's Queue, `put` into a non-full channel and `get` from a non-empty one
 * complete without waiting; only a real wait allocates a promise (`put` returns it, `poll`
 * returns EMPTY and the caller awaits `take()`).
 */
export class Channel<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private readonly getters = new Fifo<(value: T) => void>();
  private readonly putters = new Fifo<[value: T, resume: () => void]>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be >= 1");
    this.ring = new Array(capacity);
  }

  /** Puts `value`; returns a promise to await only when the channel is full. */
  put(value: T): Promise<void> | undefined {
    // A waiting getter means the buffer is empty: hand the value over directly.
    if (this.getters.length > 0) {
      this.getters.shift()(value);
      return undefined;
    }
    if (this.size < this.capacity) {
      this.ring[(this.head + this.size++) % this.capacity] = value;
      return undefined;
    }
    return new Promise<void>((resume) => this.putters.push([value, resume]));
  }

  /** Takes the next value without waiting, or EMPTY. */
  poll(): T | typeof EMPTY {
    if (this.size === 0) return EMPTY;
    const value = this.ring[this.head] as T;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    // A slot came free: the longest-waiting putter's value goes in, and it resumes.
    if (this.putters.length > 0) {
      const [next, resume] = this.putters.shift();
      this.ring[(this.head + this.size++) % this.capacity] = next;
      resume();
    }
    return value;
  }

  /** Waits for the next value (call when `poll()` gave EMPTY). */
  take(): Promise<T> {
    const value = this.poll();
    if (value !== EMPTY) return Promise.resolve(value);
    return new Promise<T>((resolve) => this.getters.push(resolve));
  }
}

async function queue(): Promise<Measurement> {
  const producer = async (ch: Channel<number>, n: number) => {
    for (let i = 0; i < n; i++) {
      const wait = ch.put(i);
      if (wait !== undefined) await wait;
    }
  };
  const consumer = async (ch: Channel<number>, n: number) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = ch.poll();
      total += v !== EMPTY ? v : await ch.take();
    }
    return total;
  };
  const t0 = now();
  const ch = new Channel<number>(QUEUE_MAXSIZE);
  const prod = producer(ch, N_QUEUE);
  const cons = consumer(ch, N_QUEUE);
  await prod;
  const total = await cons;
  const value = now() - t0;
  if (total !== (N_QUEUE * (N_QUEUE - 1)) / 2) throw new Error(`consumer summed ${total}`);
  return { value, n: N_QUEUE, extra: { checksum: total } };
}

/**
 * The executor rows' floor: `RT_WORKERS` raw `worker_threads` workers and `postMessage`
 * ping-pong. A job goes to the worker with the fewest outstanding jobs; each worker answers in
 * order, so a FIFO of resolvers per worker matches replies to jobs with no ids.
 */
class RawPool {
  private readonly workers: Worker[] = [];
  private readonly waiting: Fifo<(v: number) => void>[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL("./rt-raw-worker.js", import.meta.url));
      const fifo = new Fifo<(v: number) => void>();
      w.on("message", (v: number) => fifo.shift()(v));
      w.on("error", (e) => {
        throw e;
      });
      this.workers.push(w);
      this.waiting.push(fifo);
    }
  }

  readonly call: Call = (a, b) => {
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) {
      if (this.waiting[i]!.length < this.waiting[best]!.length) best = i;
    }
    return new Promise<number>((resolve) => {
      this.waiting[best]!.push(resolve);
      this.workers[best]!.postMessage([a, b]);
    });
  };

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

async function withRawPool(body: (call: Call) => Promise<Measurement>): Promise<Measurement> {
  const pool = new RawPool(RT_WORKERS);
  try {
    return await body(pool.call);
  } finally {
    await pool.close();
  }
}

async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function agen(): Promise<Measurement> {
  const t0 = now();
  let total = 0;
  for await (const i of numbers(N_AGEN)) total += i;
  const value = now() - t0;
  if (total !== (N_AGEN * (N_AGEN - 1)) / 2) throw new Error(`consumer summed ${total}`);
  return { value, n: N_AGEN, extra: { checksum: total } };
}

const mains: Record<string, () => Promise<Measurement>> = {
  spawn,
  sleep0,
  switches,
  callsoon,
  timers,
  heap,
  cancel,
  gather,
  queue,
  rtt: () => withRawPool(latency),
  jobs: () => withRawPool(throughput),
  agen,
};

export function runNative(name: string): Promise<Measurement> {
  const main = mains[name];
  if (main === undefined) throw new Error(`unknown workload ${name}`);
  return main();
}
