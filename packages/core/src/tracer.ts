import type { AbstractEventLoop } from "./abstract-event-loop.js";
import { CANCELLED, FAILED, type Future, PENDING, STATE_MASK } from "./future.js";
import { describe } from "./internal/repr.js";
import { describeValue } from "./shared.js";
import type { Task } from "./task.js";

/** One event of the Chrome Trace Event Format (what Perfetto and chrome://tracing read). */
export interface TraceEvent {
  /** What happened: `step`, `await <future>`, `created`, `done`, `timer`, or metadata. */
  name: string;
  /** The category: `task`, `await`, `timer` or `__metadata`. */
  cat: string;
  /** The phase: `X` a span (with `dur`), `i` an instant, `M` metadata. */
  ph: "X" | "i" | "M";
  /** Microseconds on the tracer's clock. */
  ts: number;
  /** Microseconds, for spans. */
  dur?: number;
  /** The loop (one process per traced loop). */
  pid: number;
  /** The task (one thread per task); 0 is the loop itself (timers). */
  tid: number;
  /** Instant events: their scope (`t`: the thread). */
  s?: "t" | "p" | "g";
  args?: Record<string, unknown>;
}

/** What {@link Tracer.toChromeTrace} returns: write it out with `JSON.stringify`. */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms" | "ns";
}

/** Options of {@link Tracer}. */
export interface TracerOptions {
  /**
   * The clock stamped on events: `"loop"` (default) is `loop.time()`, so a trace of a
   * virtual-time loop shows virtual seconds; `"host"` is `performance.now()`, real time.
   */
  clock?: "loop" | "host" | null;
}

let tracedLoops = 0;

/** @internal The TypeError for a `tracer` that is neither a Tracer nor null. */
export function _checkTracer(tracer: unknown): asserts tracer is Tracer | null | undefined {
  if (tracer != null && !(tracer instanceof Tracer)) {
    throw new TypeError(
      `Expected \`tracer\` to be a Tracer or null, got \`${describeValue(tracer)}\``,
    );
  }
}

/**
 * Records what the tasks of a loop do, for a timeline: each task's creation, every step it runs,
 * what it awaits between steps, how it ends (done, failed, cancelled), and the loop's timers.
 * No Python twin (CPython has no such recorder; its debug mode logs slow callbacks). Attach it with
 * `loop.setTracer(tracer)` or `run(main, { tracer })`; `toChromeTrace()` gives the Chrome Trace
 * Event JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open, one row per task. A loop
 * without a tracer pays one null check per step.
 * @example
 * import { run, Tracer } from "@asyncio-ts/core";
 * const tracer = new Tracer();
 * await run((function* () {
 *   yield;
 * })(), { tracer });
 * const json = JSON.stringify(tracer.toChromeTrace());
 * console.log(json.includes('"name":"step"')); // true
 */
export class Tracer {
  /** The events recorded so far, in order. */
  readonly events: TraceEvent[] = [];
  readonly #clock: "loop" | "host";
  readonly #tids = new WeakMap<object, number>();
  readonly #pids = new WeakMap<object, number>();
  /** Per task: when its current step began, or since when (and on what) it waits. */
  readonly #since = new WeakMap<object, { ts: number; what: string | null }>();
  #nextTid = 1;

  constructor(options?: TracerOptions | null) {
    const clock = options?.clock ?? "loop";
    if (clock !== "loop" && clock !== "host") {
      throw new TypeError(`Expected \`clock\` to be "loop" or "host", got \`${String(clock)}\``);
    }
    this.#clock = clock;
  }

  /** The trace in Chrome's Trace Event Format. */
  toChromeTrace(): ChromeTrace {
    return { traceEvents: [...this.events], displayTimeUnit: "ms" };
  }

  /** Forget the events recorded so far. */
  clear(): void {
    this.events.length = 0;
  }

  #now(loop: AbstractEventLoop): number {
    return (this.#clock === "loop" ? loop.time() : performance.now() / 1000) * 1e6;
  }

  #pid(loop: AbstractEventLoop): number {
    let pid = this.#pids.get(loop);
    if (pid === undefined) {
      pid = ++tracedLoops;
      this.#pids.set(loop, pid);
      this.#meta("process_name", pid, 0, `event loop ${pid}`);
      this.#meta("thread_name", pid, 0, "loop (timers)");
    }
    return pid;
  }

  #meta(name: "process_name" | "thread_name", pid: number, tid: number, label: string): void {
    this.events.push({ name, cat: "__metadata", ph: "M", ts: 0, pid, tid, args: { name: label } });
  }

  #tid(task: Task<unknown>): number {
    let tid = this.#tids.get(task);
    if (tid === undefined) {
      tid = this.#nextTid++;
      this.#tids.set(task, tid);
    }
    return tid;
  }

  /** @internal A task was created (joined its loop). */
  _created(task: Task<unknown>): void {
    const loop = task.getLoop();
    const pid = this.#pid(loop);
    const tid = this.#tid(task);
    const ts = this.#now(loop);
    this.#meta("thread_name", pid, tid, task.getName());
    this.events.push({ name: "created", cat: "task", ph: "i", s: "t", ts, pid, tid });
    this.#since.set(task, { ts, what: null });
  }

  /** @internal A step begins: the wait that ended is recorded as a span. */
  _stepStart(task: Task<unknown>): void {
    const loop = task.getLoop();
    const ts = this.#now(loop);
    const since = this.#since.get(task);
    if (since !== undefined && since.what !== null) {
      this.events.push({
        name: `await ${since.what}`,
        cat: "await",
        ph: "X",
        ts: since.ts,
        dur: ts - since.ts,
        pid: this.#pid(loop),
        tid: this.#tid(task),
      });
    }
    this.#since.set(task, { ts, what: null });
  }

  /** @internal A step ended: a span for it, then what the task waits on, or how it ended. */
  _stepEnd(task: Task<unknown>, awaiting: Future<unknown> | null): void {
    const loop = task.getLoop();
    const ts = this.#now(loop);
    const pid = this.#pid(loop);
    const tid = this.#tid(task);
    const start = this.#since.get(task)?.ts ?? ts;
    // Read from the state bits, not `exception()`: that would mark a failure as retrieved and
    // silence "Task exception was never retrieved" whenever a tracer is on.
    const s = task._flags & STATE_MASK;
    if (s === PENDING) {
      const what = awaiting === null ? "the next loop iteration" : describe(awaiting);
      this.events.push({
        name: "step",
        cat: "task",
        ph: "X",
        ts: start,
        dur: ts - start,
        pid,
        tid,
        args: { awaiting: what },
      });
      this.#since.set(task, { ts, what });
      return;
    }
    const state = s === CANCELLED ? "cancelled" : s === FAILED ? "failed" : "done";
    this.events.push({
      name: "step",
      cat: "task",
      ph: "X",
      ts: start,
      dur: ts - start,
      pid,
      tid,
      args: { state },
    });
    this.events.push({
      name: state,
      cat: "task",
      ph: "i",
      s: "t",
      ts,
      pid,
      tid,
      args: s === FAILED ? { exception: String(task._result) } : {},
    });
    this.#since.delete(task);
  }

  /** @internal A timer was scheduled (`callLater`, `callAt`, `sleep`). */
  _timerScheduled(loop: AbstractEventLoop, when: number): void {
    this.#timer(loop, "timer scheduled", when);
  }

  /** @internal A timer came due; its callback runs in this iteration. */
  _timerFired(loop: AbstractEventLoop, when: number): void {
    this.#timer(loop, "timer", when);
  }

  #timer(loop: AbstractEventLoop, name: string, when: number): void {
    this.events.push({
      name,
      cat: "timer",
      ph: "i",
      s: "t",
      ts: this.#now(loop),
      pid: this.#pid(loop),
      tid: 0,
      args: { when },
    });
  }
}
