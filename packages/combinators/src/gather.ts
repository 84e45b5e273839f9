import {
  type AbstractEventLoop,
  type Awaitable,
  type AwaitedOf,
  type BaseEventLoop,
  ensureFuture,
  Future,
  getEventLoop,
  Task,
} from "@asyncio-ts/core";
import { cancelledError } from "@asyncio-ts/core/shared";
import { CANCELLED, FINISHED, isFailed } from "./internal/futures.js";
import { describeValue, isCoroutine } from "./internal/validate.js";

/**
 * Mirrors `gather`'s keyword argument `return_exceptions=`: pass it as a trailing plain object.
 * @example
 * import type { GatherOptions } from "@asyncio-ts/combinators";
 * const options: GatherOptions = { returnExceptions: true };
 */
export interface GatherOptions {
  /** Put errors (and `CancelledError`s of cancelled children) in the results instead of raising. */
  returnExceptions?: boolean | null;
}

/**
 * The result type of {@link gather} (Python's `list[T]`, here a tuple): the awaited types in
 * argument order.
 * @example
 * import type { Coroutine, Future } from "@asyncio-ts/core";
 * import type { GatherResults } from "@asyncio-ts/combinators";
 * type R = GatherResults<[Future<number>, Coroutine<string>]>; // [number, string]
 */
export type GatherResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedOf<A[K]>;
};

/**
 * The result type of `gather(..., { returnExceptions: true })` (Python's `return_exceptions=True`):
 * each element is the value or the error. Typed `Error`: every error asyncio-ts raises is one; a
 * non-Error thrown value (`throw "x"`) is placed as is, which the type cannot express.
 * @example
 * import type { Future } from "@asyncio-ts/core";
 * import type { GatherSettled } from "@asyncio-ts/combinators";
 * type R = GatherSettled<[Future<number>]>; // [number | Error]
 */
export type GatherSettled<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedOf<A[K]> | Error;
};

/**
 * Python's `_GatheringFuture`. It is also the done-callback of every child and the ready-queue
 * entry that runs it (Python's one `_done_callback` shared by all children, scheduled with
 * `call_soon`): no handle, closure or other allocation per child.
 */
class _GatheringFuture<T> extends Future<T> {
  /** @internal Python's `children`: one per argument, duplicates included. */
  _children: Future<unknown>[] = [];
  /** @internal */ _cancelRequested = false;
  /** @internal */ _returnExceptions: boolean;
  /** @internal Distinct children (`nfuts`). */ _nfuts = 0;

  /** @internal For captureCallGraph: the children are awaited by this future. */
  _awaitedChildren(): Iterable<Future<unknown>> {
    return this._children;
  }
  /** @internal */ _nfinished = 0;
  /** @internal False while `gather()` runs: Python's `outer is None` (bpo-46672). */
  _published = false;
  /** @internal Children the outer future listens to (not done when passed). */
  _registered = 0;
  /** @internal Completions so far. */ _firedCount = 0;
  /** @internal Children whose callback is queued, oldest first (from `_queuedHead`). */
  _queued: (Future<unknown> | null)[] | null = null;
  /** @internal */ _queuedHead = 0;

  constructor(loop: AbstractEventLoop, returnExceptions: boolean) {
    super(loop);
    this._returnExceptions = returnExceptions;
  }

  /**
   * Mirrors `_GatheringFuture.cancel(msg)`: cancels the children; the future itself ends when they
   * do (with their `CancelledError`), as a task would. Returns whether any child was cancelled.
   */
  override cancel(msg?: string | null): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) {
      if (child.cancel(msg)) ret = true;
    }
    // Propagate the cancellation even with `returnExceptions` (bpo-32684).
    if (ret) this._cancelRequested = true;
    return ret;
  }

  /**
   * @internal Done-entry protocol: `child` completed; schedule its callback (`call_soon`).
   *
   * The callback of a child that succeeded, unless it is the last to complete, only counts it:
   * nothing anyone can observe. So it is counted now and not queued, which spares a ready-queue
   * turn per child. Every other callback (errors, cancellations, the last completion, anything
   * during `gather()` itself) is queued where Python queues it, and the count it checks is the
   * same there: the successes counted early all completed before the last completion.
   */
  _fire(child: Future<unknown>): void {
    const loop = this._loop;
    loop._checkClosed();
    this._firedCount += 1;
    if (child._state === FINISHED && this._published && this._firedCount < this._registered) {
      this._nfinished += 1;
      return;
    }
    (this._queued ??= []).push(child);
    loop._pushReady(this);
  }

  /** @internal Ready-entry protocol: run the callback of the oldest queued completion. */
  _run(loop: BaseEventLoop): void {
    const q = this._queued!;
    const i = this._queuedHead;
    const child = q[i]!;
    if (i + 1 === q.length) {
      q.length = 0;
      this._queuedHead = 0;
    } else {
      q[i] = null;
      this._queuedHead = i + 1;
    }
    try {
      this._doneCallback(child);
    } catch (exc) {
      loop.callExceptionHandler({
        message: `Exception in callback gather.<locals>._done_callback(${child.toString()})`,
        exception: exc,
        future: this,
      });
    }
  }

  /** @internal Python's `gather.<locals>._done_callback`. */
  _doneCallback(fut: Future<unknown>): void {
    this._nfinished += 1;

    if (!this._published || this.done()) {
      // Mark the exception retrieved.
      if (!fut.cancelled()) fut.exception();
      return;
    }

    if (!this._returnExceptions) {
      if (fut.cancelled()) {
        this.setException(fut._makeCancelledError());
        return;
      }
      if (isFailed(fut)) {
        this.setException(fut.exception());
        return;
      }
    }

    if (this._nfinished === this._nfuts) this._complete();
  }

  /** @internal All children are done: the results, or the cancellation if one was requested. */
  _complete(): void {
    const children = this._children;
    const n = children.length;
    const results = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const c = children[i]!;
      const s = c._state;
      if (s === FINISHED) {
        results[i] = c._result;
      } else if (s === CANCELLED) {
        // As Python: a fresh error from the message, so `_makeCancelledError` runs at most once.
        results[i] = cancelledError(c._cancelMessage ?? "", this._loop._debug);
      } else {
        results[i] = c.exception();
      }
    }
    if (this._cancelRequested) {
      // Python reuses its loop variable here: the *last* child's cancellation error.
      this.setException(children[n - 1]!._makeCancelledError());
    } else {
      this.setResult(results as T);
    }
  }
}

/** True if `fut` already has `entry` among its done-entries (a duplicate argument). */
function hasEntry(fut: Future<unknown>, entry: object): boolean {
  const cbs = fut._callbacks;
  if (cbs === entry) return true;
  if (!Array.isArray(cbs)) return false;
  for (let i = cbs.length - 1; i >= 0; i--) if (cbs[i] === entry) return true;
  return false;
}

/**
 * True if `fut`, now done, is among the first `n` children: it was pending there, so the outer
 * future listened to it, and it completed while `gather()` was still running (only an eager task
 * started by a later argument can make that happen).
 */
function isEarlierChild(children: readonly unknown[], n: number, fut: Future<unknown>): boolean {
  for (let i = 0; i < n; i++) if (children[i] === fut) return true;
  return false;
}

/**
 * A trailing plain object (SPEC §3): not awaitable, not a future. Only a plain object (no class
 * instance), so a mistaken argument gets `ensureFuture`'s "awaitable is required" error.
 */
function isOptions(x: unknown): x is GatherOptions {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  );
}

function parseOptions(options: GatherOptions): boolean {
  for (const key of Object.keys(options)) {
    if (key !== "returnExceptions") {
      throw new TypeError(`gather() got an unexpected keyword argument '${key}'`);
    }
  }
  const r = options.returnExceptions;
  if (r != null && typeof r !== "boolean") {
    throw new TypeError(
      `Expected \`returnExceptions\` to be a boolean, got \`${describeValue(r)}\` (${typeof r})`,
    );
  }
  return r === true;
}

/**
 * Mirrors `asyncio.gather(*aws, return_exceptions=False)`: run the awaitables concurrently
 * (coroutines are wrapped in tasks) and give their results in argument order. The first error
 * is raised at once while the others keep running; with `{ returnExceptions: true }` errors are
 * results. Cancelling the returned future cancels the children.
 * @example
 * import { type Coroutine, run } from "@asyncio-ts/core";
 * import { gather } from "@asyncio-ts/combinators";
 * function* double(x: number): Coroutine<number> {
 *   return 2 * x;
 * }
 * await run((function* () {
 *   const [a, b] = yield* gather(double(1), double(2));
 *   console.log(a + b); // 6
 * })());
 */
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...aws: A
): Future<GatherResults<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...args: [...aws: A, options: GatherOptions & { returnExceptions: true }]
): Future<GatherSettled<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...args: [...aws: A, options: GatherOptions & { returnExceptions?: false | null }]
): Future<GatherResults<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...args: [...aws: A, options: GatherOptions]
): Future<GatherSettled<A>>;
export function gather(...args: unknown[]): Future<unknown> {
  let n = args.length;
  let returnExceptions = false;
  if (n > 0 && isOptions(args[n - 1])) {
    n -= 1;
    returnExceptions = parseOptions(args[n] as GatherOptions);
  }

  if (n === 0) {
    const loop = getEventLoop();
    const outer = loop.createFuture<unknown[]>();
    outer.setResult([]);
    return outer;
  }

  // Python keys `arg_to_fut` by every argument. Here a future is found among the futures the
  // outer future already listens to (no map entry per child); done futures and coroutines, which
  // it does not listen to, go through sets made only when needed.
  let outer: _GatheringFuture<unknown> | null = null;
  let loop: AbstractEventLoop | null = null;
  let argToFut: Map<unknown, Future<unknown>> | null = null;
  let doneSeen: Set<Future<unknown>> | null = null;
  let doneFuts: Future<unknown>[] | null = null;
  // The rest array is ours: it becomes `children`, each argument replaced by its future.
  const children = args as Future<unknown>[];
  if (n < args.length) children.length = n;

  for (let i = 0; i < n; i++) {
    const arg = args[i];
    let fut: Future<unknown>;
    if (arg instanceof Future && !isCoroutine(arg)) {
      fut = arg;
      if (loop === null) {
        loop = fut.getLoop();
        outer = new _GatheringFuture(loop, returnExceptions);
      } else if (fut.getLoop() !== loop) {
        // `ensure_future(arg, loop=loop)`'s check, in its words.
        ensureFuture(fut, { loop });
      }
      const o = outer!;
      if (fut.done()) {
        const seen = doneSeen?.has(fut) || (o._firedCount > 0 && isEarlierChild(children, i, fut));
        if (!seen) {
          (doneSeen ??= new Set()).add(fut);
          o._nfuts += 1;
          (doneFuts ??= []).push(fut);
        }
      } else if (!hasEntry(fut, o)) {
        o._nfuts += 1;
        o._registered += 1;
        fut._addEntry(o);
      }
    } else {
      const known = argToFut?.get(arg);
      if (known !== undefined) {
        fut = known;
      } else {
        // `ensure_future(arg, loop=loop)`; a coroutine goes straight to the loop's createTask.
        fut =
          loop !== null && isCoroutine(arg)
            ? loop.createTask(arg)
            : ensureFuture(arg as Awaitable<unknown>, { loop });
        if (loop === null) {
          loop = fut.getLoop();
          outer = new _GatheringFuture(loop, returnExceptions);
        }
        const o = outer!;
        // Created for `arg`: the caller cannot control it, so no "destroyed but pending" report.
        if (fut !== arg && fut instanceof Task) fut._logDestroyPending = false;
        (argToFut ??= new Map()).set(arg, fut);
        o._nfuts += 1;
        if (fut.done()) (doneFuts ??= []).push(fut);
        else {
          o._registered += 1;
          fut._addEntry(o);
        }
      }
    }
    children[i] = fut;
  }

  const o = outer!;
  o._children = children;
  o._published = true;
  // Children done already (eager tasks, done futures) report now: if all were, the gather is done
  // before it is returned, as in Python.
  if (doneFuts !== null) for (const fut of doneFuts) o._doneCallback(fut);
  return o;
}
