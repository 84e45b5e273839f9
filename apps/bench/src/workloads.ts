// The rows of the table: what each measures, its native floor, and its target.
import {
  MAX_DELAY_MS,
  N_AGEN,
  N_CALLSOON,
  N_CANCEL,
  N_GATHER,
  N_HEAP,
  N_QUEUE,
  N_RT_JOBS,
  N_RT_LATENCY,
  N_SLEEP0,
  N_SPAWN,
  N_TIMERS,
  QUEUE_MAXSIZE,
  RT_IN_FLIGHT,
  RT_WORKERS,
  SWITCH_EACH,
  SWITCH_TASKS,
} from "./params.js";

export type Kind = "throughput" | "timer" | "heap" | "latency";

export interface Workload {
  /** The CLI name, the child's argument and (unless `python` says otherwise) python/<name>.py. */
  name: string;
  /** The CPython script's base name in python/, when it is not `name`. */
  python?: string;
  title: string;
  kind: Kind;
  /** Operations per run, for the rate shown next to a time. */
  ops: number;
  /** What the native column runs. */
  floor: string;
  target: string;
  /** Also run Piscina used directly (the executor rows): a fourth column. */
  piscina?: boolean;
  /**
   * Run every contender's process on one CPU (`taskset -c 0`, where it exists; `--no-pin` turns
   * it off): for the latency row, see the README.
   */
  pin?: boolean;
}

const k = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

export const WORKLOADS: readonly Workload[] = [
  {
    name: "spawn",
    title: `1. spawn ${k(N_SPAWN)} tasks + wait all`,
    kind: "throughput",
    ops: N_SPAWN,
    floor: `${k(N_SPAWN)} async functions, each \`await null\` once`,
    target: "≥10× CPython",
  },
  {
    name: "sleep0",
    title: `2. ${k(N_SLEEP0)} sleep(0) in one task`,
    kind: "throughput",
    ops: N_SLEEP0,
    floor: `${k(N_SLEEP0)} \`await null\` (a microtask each) in one async function`,
    target: "≥10× CPython",
  },
  {
    name: "switches",
    title: `3. ${k(SWITCH_TASKS)} tasks × ${SWITCH_EACH} sleep(0)`,
    kind: "throughput",
    ops: SWITCH_TASKS * SWITCH_EACH,
    floor: `${k(SWITCH_TASKS)} async functions × ${SWITCH_EACH} \`await null\``,
    target: "≥10× CPython",
  },
  {
    name: "callsoon",
    title: `4. ${k(N_CALLSOON)} callSoon`,
    kind: "throughput",
    ops: N_CALLSOON,
    floor: `${k(N_CALLSOON)} \`queueMicrotask\``,
    target: "≥7M/s and ≥10× CPython",
  },
  {
    name: "timers",
    title: `5. ${k(N_TIMERS)} timers, 0–${MAX_DELAY_MS} ms`,
    kind: "timer",
    ops: N_TIMERS,
    floor: `${k(N_TIMERS)} async functions, each awaiting a \`setTimeout\` promise`,
    target: "overhead ≤1.5× native",
  },
  {
    name: "heap",
    title: "6. heap per pending sleep task",
    kind: "heap",
    ops: N_HEAP,
    floor: `${k(N_HEAP)} async functions, each awaiting a pending \`setTimeout(10 s)\` promise`,
    target: "≤400 B/task",
  },
  {
    name: "cancel",
    title: `7. ${k(N_CANCEL)} cancellations`,
    kind: "throughput",
    ops: N_CANCEL,
    floor: `${k(N_CANCEL)} \`AbortController.abort()\`s rejecting awaited promises`,
    target: "≥10× CPython",
  },
  {
    name: "gather",
    title: `8. gather ${k(N_GATHER)} tasks`,
    kind: "throughput",
    ops: N_GATHER,
    floor: `\`Promise.all\` of ${k(N_GATHER)} async functions, each \`await null\` once`,
    target: "≥10× CPython",
  },
  {
    name: "queue",
    // python/queue.py would shadow the stdlib `queue` module for every script in python/.
    python: "queue_row",
    title: `9. ${k(N_QUEUE)} items through Queue(${QUEUE_MAXSIZE})`,
    kind: "throughput",
    ops: N_QUEUE,
    floor: `${k(N_QUEUE)} items through a minimal fair promise-based bounded channel (capacity ${QUEUE_MAXSIZE}), one producer, one consumer`,
    target: "≥4× CPython",
  },
  {
    name: "rtt",
    title: `10. toThread round trip, ${k(N_RT_LATENCY)} one at a time`,
    kind: "latency",
    ops: N_RT_LATENCY,
    floor: `raw \`worker_threads\` \`postMessage\` ping-pong with ${RT_WORKERS} workers; Piscina: \`pool.run()\` with ${RT_WORKERS} threads`,
    target: "≤1.5× native latency",
    piscina: true,
    pin: true,
  },
  {
    name: "jobs",
    title: `11. ${k(N_RT_JOBS)} toThread jobs, ${RT_IN_FLIGHT} in flight`,
    kind: "throughput",
    ops: N_RT_JOBS,
    floor: `the same jobs through raw \`worker_threads\` (${RT_WORKERS} workers, each job to the least busy); Piscina: \`pool.run()\`, ${RT_WORKERS} threads`,
    target: "≥0.8× Piscina throughput",
    piscina: true,
  },
  {
    name: "agen",
    title: `12. ${k(N_AGEN)} items from an async generator`,
    kind: "throughput",
    ops: N_AGEN,
    floor: `a native \`async function*\` consumed with \`for await\``,
    target: "≥5× CPython",
  },
];
