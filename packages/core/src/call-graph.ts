import { RuntimeError } from "./errors.js";
import { type Future, isFuture } from "./future.js";
import { _getRunningLoopOrNull } from "./internal/running.js";
import { describeValue } from "./shared.js";
import { allTasks, currentTask, Task } from "./task.js";

/**
 * Mirrors CPython 3.14's `asyncio.FutureCallGraph`: a future (or task), and the graphs of the
 * futures and tasks that await it. `callStack` is always empty: JavaScript cannot read where a
 * suspended generator is paused (CPython lists the coroutine frames there).
 */
export interface FutureCallGraph {
  readonly future: Future<unknown>;
  readonly callStack: readonly never[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Who awaits a future other than a task's `yield*` on it: a TaskGroup's parent task, say. */
const awaitedBy = new WeakMap<Future<unknown>, Set<Future<unknown>>>();

/**
 * @internal Python's `future_add_to_awaited_by(fut, waiter)`: `waiter` waits for `fut` without
 * awaiting it directly (a TaskGroup's parent task and its children). A task awaiting a future
 * with `yield*` need not register: the graph finds it.
 */
export function _addAwaitedBy(fut: Future<unknown>, waiter: Future<unknown>): void {
  let set = awaitedBy.get(fut);
  if (set === undefined) {
    set = new Set();
    awaitedBy.set(fut, set);
  }
  set.add(waiter);
}

/** @internal Python's `future_discard_from_awaited_by(fut, waiter)`. */
export function _discardAwaitedBy(fut: Future<unknown>, waiter: Future<unknown>): void {
  const set = awaitedBy.get(fut);
  if (set === undefined) return;
  set.delete(waiter);
  if (set.size === 0) awaitedBy.delete(fut);
}

/** A future made of others (`gather`'s) says which: they are awaited by it. */
interface Composite {
  _awaitedChildren(): Iterable<Future<unknown>>;
}

function isComposite(f: unknown): f is Composite {
  return typeof (f as Partial<Composite>)._awaitedChildren === "function";
}

/** Every "awaited by" edge on the loop of `fut`: awaited future → its awaiters. */
function awaitersOnLoop(fut: Future<unknown>): Map<Future<unknown>, Set<Future<unknown>>> {
  const edges = new Map<Future<unknown>, Set<Future<unknown>>>();
  const add = (awaited: Future<unknown>, waiter: Future<unknown>) => {
    let set = edges.get(awaited);
    if (set === undefined) {
      set = new Set();
      edges.set(awaited, set);
    }
    set.add(waiter);
  };
  const composites: Future<unknown>[] = [];
  const seen = new Set<Future<unknown>>();
  const visitComposite = (f: Future<unknown>) => {
    if (seen.has(f) || !isComposite(f)) return;
    seen.add(f);
    composites.push(f);
  };
  for (const task of allTasks(fut.getLoop())) {
    const waiting = (task as Task<unknown>)._futWaiter;
    if (waiting !== null) {
      add(waiting, task);
      visitComposite(waiting);
    }
  }
  visitComposite(fut);
  for (let i = 0; i < composites.length; i++) {
    const c = composites[i]!;
    for (const child of (c as unknown as Composite)._awaitedChildren()) {
      add(child, c);
      visitComposite(child);
    }
  }
  return edges;
}

function build(
  fut: Future<unknown>,
  edges: Map<Future<unknown>, Set<Future<unknown>>>,
  path: Set<Future<unknown>>,
): FutureCallGraph {
  path.add(fut);
  const waiters = new Set([...(edges.get(fut) ?? []), ...(awaitedBy.get(fut) ?? [])]);
  const graphs: FutureCallGraph[] = [];
  // A future on the current path awaits itself through others (a deadlock): stop there.
  for (const w of waiters) if (!path.has(w)) graphs.push(build(w, edges, path));
  path.delete(fut);
  return { future: fut, callStack: [], awaitedBy: graphs };
}

/**
 * Mirrors CPython 3.14's `asyncio.capture_call_graph(future=None)`: the graph of what awaits
 * `future` (default: the current task), recursively: tasks awaiting it with `yield*`, a
 * `gather()` future over it, the parent task of its `TaskGroup`. `null` outside a task when no
 * future is given.
 * @example
 * import { captureCallGraph, createTask, run, Task } from "@asyncio-ts/core";
 * await run((function* () {
 *   const child = createTask((function* () {
 *     const graph = captureCallGraph()!;
 *     const parent = graph.awaitedBy[0]!.future as Task<unknown>;
 *     console.log(parent.getName()); // the main task, awaiting the child
 *   })());
 *   yield* child;
 * })());
 */
export function captureCallGraph(future?: Future<unknown> | null): FutureCallGraph | null {
  let fut: Future<unknown> | null;
  if (future == null) {
    if (_getRunningLoopOrNull() === null) throw new RuntimeError("no running event loop");
    fut = currentTask();
    if (fut === null) return null;
  } else {
    if (!isFuture(future)) {
      throw new TypeError(
        `Expected \`future\` to be a Future or Task, got \`${describeValue(future)}\``,
      );
    }
    fut = future;
  }
  return build(fut, awaitersOnLoop(fut), new Set());
}

function label(f: Future<unknown>): string {
  return f instanceof Task ? `Task(name='${f.getName()}')` : `Future(${f.toString()})`;
}

/**
 * Mirrors CPython 3.14's `asyncio.format_call_graph(future=None)`: {@link captureCallGraph} as
 * text, one `* Task(...)` line per task or future, indented under what it awaits (an empty
 * string where the graph is `null`).
 * @example
 * import { createTask, formatCallGraph, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   yield* createTask((function* () {
 *     console.log(formatCallGraph());
 *     // * Task(name='Task-2')
 *     //   + Awaited by:
 *     //     * Task(name='Task-1')
 *   })());
 * })());
 */
export function formatCallGraph(future?: Future<unknown> | null): string {
  const graph = captureCallGraph(future);
  if (graph === null) return "";
  const lines: string[] = [];
  const render = (g: FutureCallGraph, level: number) => {
    const pad = "    ".repeat(level);
    lines.push(`${pad}* ${label(g.future)}`);
    if (g.awaitedBy.length > 0) {
      lines.push(`${pad}  + Awaited by:`);
      for (const w of g.awaitedBy) render(w, level + 1);
    }
  };
  render(graph, 0);
  return lines.join("\n");
}

/**
 * Mirrors CPython 3.14's `asyncio.print_call_graph(future=None)`: prints
 * {@link formatCallGraph} with `console.log`.
 * @example
 * import { createTask, printCallGraph, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   yield* createTask((function* () {
 *     printCallGraph();
 *   })());
 * })());
 */
export function printCallGraph(future?: Future<unknown> | null): void {
  const text = formatCallGraph(future);
  if (text !== "") console.log(text);
}
