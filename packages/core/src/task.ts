import type { AbstractEventLoop, TaskFactory } from "./abstract-event-loop.js";
import { AGenState } from "./async-generator.js";
import type { BaseEventLoop } from "./base-event-loop.js";
import {
  _restoreContext,
  _scratchContext,
  _snapshot,
  _swapContext,
  Context,
  type ContextData,
  currentContext,
} from "./context.js";
import { CancelledError, InvalidStateError, RuntimeError } from "./errors.js";
import { CANCELLED, F_BLOCKING, FAILED, FINISHED, Future, PENDING, STATE_MASK } from "./future.js";
import type { DoneEntry, ReadyEntry } from "./handle.js";
import { describe, describeError } from "./internal/repr.js";
import { _defaultLoop, _getRunningLoopOrNull } from "./internal/running.js";
import { isPromiseLike, notAwaitableMessage } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

let taskCounter = 0;

// Task bits of `_flags` (Future uses the bits below 16).
const T_MUST_CANCEL = 16;
const T_LOG_DESTROY_PENDING = 32;
const T_HAS_STEP_EXC = 64;
const T_LIVE = 128;
/** Scheduled by `_futWaiter` completing (Python's `__wakeup`), not a plain step. */
const T_WOKEN = 256;

/**
 * Mirrors `asyncio.iscoroutine(obj)`: true for a coroutine object, here a generator-like object
 * (what calling a `function*` returns).
 * @example
 * import { isCoroutine } from "@asyncio-ts/core";
 * function* f() {}
 * console.log(isCoroutine(f()), isCoroutine(f)); // true false
 */
export function isCoroutine(x: unknown): x is Coroutine<unknown> {
  return _isCoroutine(x);
}

/** @internal A generator-like object (what a generator function returns). */
export function _isCoroutine(x: unknown): x is Coroutine<unknown> {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as Coroutine<unknown>).next === "function" &&
    typeof (x as Coroutine<unknown>).throw === "function" &&
    typeof (x as Coroutine<unknown>).return === "function"
  );
}

/** What to tell someone who passed `x` where a coroutine belongs. */
function notACoroutine(x: unknown, call: string): string {
  const base = `a coroutine was expected, got ${describe(x)}`;
  if (typeof x === "function") {
    const ctor = (x as { constructor?: { name?: string } }).constructor?.name;
    if (ctor === "GeneratorFunction") {
      return `${base}: call the generator function, ${call}(${x.name || "fn"}())`;
    }
    if (ctor === "AsyncFunction") {
      return `${base}: asyncio-ts coroutines are generator functions (function*), not async functions`;
    }
  }
  if (isPromiseLike(x)) {
    return `${base}: wrap a Promise with fromPromise(p) from @asyncio-ts/promise`;
  }
  return base;
}

/** @internal */
export function _throwNotACoroutine(x: unknown, call: string, ErrorType: ErrorConstructor): never {
  throw new ErrorType(notACoroutine(x, call));
}

/**
 * Mirrors `asyncio.Task`: a coroutine wrapped in a Future and driven by the loop.
 * Cancellation throws a `CancelledError` into the coroutine where it awaits.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * function* work() {
 *   return 42;
 * }
 * await run((function* () {
 *   const t = createTask(work(), { name: "worker" });
 *   console.log(t.getName(), yield* t); // worker 42
 * })());
 */
export class Task<T = unknown> extends Future<T> implements ReadyEntry, DoneEntry {
  /** @internal */ _coro: Coroutine<T> | null;
  /**
   * @internal The task's context: its immutable data until someone needs the Context object
   * (getContext(), an explicit `context`), so a task costs no Context allocation.
   */
  _ctx: Context | ContextData;
  /** @internal A number until someone asks, so unnamed tasks cost no string. */
  _name: string | number;
  /** @internal */ _futWaiter: Future<unknown> | null = null;
  /** @internal */ _numCancelsRequested = 0;
  /**
   * @internal While pending: an exception to throw into the coroutine at the next step
   * (T_HAS_STEP_EXC). Once cancelled: the CancelledError the coroutine raised, which result()
   * raises again (Python's `_cancelled_exc`). One slot, since the two never overlap.
   */
  _aux: unknown = undefined;
  /** @internal Links in the loop's list of live tasks. */ _prevLive: Task<unknown> | null = null;
  /** @internal */ _nextLive: Task<unknown> | null = null;

  constructor(
    coro: Coroutine<T>,
    options?: {
      loop?: AbstractEventLoop | null;
      name?: string | null;
      context?: Context | null;
      eagerStart?: boolean;
    },
  ) {
    if (!_isCoroutine(coro)) Task._checkCoro(coro);
    super(options?.loop ?? _defaultLoop());
    this._coro = coro;
    // As CPython, only unnamed tasks draw a number.
    this._name = options?.name == null ? ++taskCounter : String(options.name);
    this._ctx = options?.context ?? _snapshot();
    this._flags |= T_LOG_DESTROY_PENDING;
    const loop = this._loop;
    if (options?.eagerStart && loop.isRunning()) {
      this._eagerStart();
    } else {
      loop._checkClosed();
      loop._pushReady(this);
      this._link();
    }
  }

  /** @internal */
  static _checkCoro(coro: unknown): never {
    return _throwNotACoroutine(coro, "createTask", TypeError);
  }

  /** Mirrors `Task.get_coro()`: the coroutine, or `null` once an eagerly-run task finished. */
  getCoro(): Coroutine<T> | null {
    return this._coro;
  }

  /** Mirrors `Task.get_context()`: the context the task runs in. */
  getContext(): Context {
    const c = this._ctx;
    if (c instanceof Context) return c;
    const scratch = _scratchContext();
    // Our step is running and the scratch object holds our live data.
    const running = scratch._key === this;
    const ctx = new Context(running ? scratch._data : c);
    // Tokens made before the Context object existed belong to it too.
    ctx._key = this;
    this._ctx = ctx;
    if (running) {
      ctx._entered = true;
      // Later sets must land in the object we hand out; from inside a nested Context.run the
      // step's end copies them over instead.
      if (currentContext() === scratch) _swapContext(ctx);
    }
    return ctx;
  }

  /** Mirrors `Task.get_name()`; unnamed tasks are `Task-1`, `Task-2`, … per process. */
  getName(): string {
    if (typeof this._name === "number") this._name = `Task-${this._name}`;
    return this._name;
  }

  /** Mirrors `Task.set_name(value)`. */
  setName(value: unknown): void {
    this._name = String(value);
  }

  /** Tasks are completed by their coroutine: as Python, this raises. */
  override setResult(_result: T): never {
    throw new RuntimeError("Task does not support set_result operation");
  }

  /** Tasks are completed by their coroutine: as Python, this raises. */
  override setException(_exception: unknown): never {
    throw new RuntimeError("Task does not support set_exception operation");
  }

  /**
   * Mirrors `Task.cancel(msg=None)`: requests that a `CancelledError` be thrown into the
   * coroutine at its next await (at once if it is waiting). Returns false if already done.
   */
  override cancel(msg?: string | null): boolean {
    this._retrieved();
    if ((this._flags & STATE_MASK) !== PENDING) return false;
    this._numCancelsRequested += 1;
    const waiter = this._futWaiter;
    if (waiter?.cancel(msg)) return true;
    this._flags |= T_MUST_CANCEL;
    // While pending, the result slot holds the cancel message (Python's `_cancel_message`).
    this._result = msg ?? undefined;
    return true;
  }

  /** Mirrors `Task.cancelling()`: the number of pending cancellation requests. */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Mirrors `Task.uncancel()`: withdraws one cancellation request; returns the rest. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested -= 1;
      if (this._numCancelsRequested === 0) this._flags &= ~T_MUST_CANCEL;
    }
    return this._numCancelsRequested;
  }

  override toString(): string {
    let s = `<Task ${this._stateRepr()} name='${this.getName()}'`;
    if (this._state === PENDING && this._futWaiter !== null) {
      s += ` wait_for=${this._futWaiter.toString()}`;
    }
    return `${s}>`;
  }

  // ---- the step machinery (Python's __step / __wakeup) -----------------------------------

  /** @internal */
  override _makeCancelledError(): CancelledError {
    const saved = this._aux;
    if (saved instanceof CancelledError && (this._flags & STATE_MASK) === CANCELLED) {
      this._aux = undefined;
      return saved;
    }
    return super._makeCancelledError();
  }

  /** @internal As `_makeCancelledError` but leaves the saved error for `result()`. */
  override _peekCancelledError(): CancelledError {
    const saved = this._aux;
    if (saved instanceof CancelledError && (this._flags & STATE_MASK) === CANCELLED) return saved;
    return super._makeCancelledError();
  }

  /** @internal While pending, the message of a requested cancellation; once cancelled, its own. */
  override get _cancelMessage(): string | undefined {
    const s = this._flags & STATE_MASK;
    return s === PENDING || s === CANCELLED ? (this._result as string | undefined) : undefined;
  }

  /** @internal Done-entry: the awaited future (`_futWaiter`) completed; schedule the wakeup. */
  _fire(_fut: Future<unknown>): void {
    this._flags |= T_WOKEN;
    this._loop._checkClosed();
    this._loop._pushReady(this);
  }

  /** @internal Ready-queue entry: a scheduled step or wakeup, run in the task's context. */
  _run(): void {
    this._runInContext(false);
  }

  /** @internal Enter the task's context, run a step (or the eager first step), leave. */
  _runInContext(eager: boolean): void {
    const c = this._ctx;
    const scratch = _scratchContext();
    let prevData: ContextData | null = null;
    let prevKey: object = scratch;
    let owner: Task<unknown> | null = null;
    let prev: Context;
    if (c instanceof Context) {
      if (c._entered) {
        this._report(new RuntimeError(`cannot enter context: ${describe(c)} is already entered`));
        return;
      }
      c._entered = true;
      prev = _swapContext(c);
    } else {
      prevData = scratch._data;
      prevKey = scratch._key;
      // An eager task starting inside another task's step: publish the outer task's live data,
      // so it stays visible (getContext()) while we borrow the scratch object.
      if (prevKey instanceof Task && !(prevKey._ctx instanceof Context)) {
        owner = prevKey;
        owner._ctx = prevData;
      }
      scratch._data = c;
      scratch._key = this;
      prev = _swapContext(scratch);
    }
    try {
      if (eager) this._stepRun(false, undefined);
      else this._dispatch();
    } catch (exc) {
      this._report(exc);
    } finally {
      const atEnd = currentContext();
      _restoreContext(prev);
      if (prevData === null) (c as Context)._entered = false;
      else {
        const now = this._ctx;
        if (now instanceof Context) {
          // Made during this step (getContext()); sets after that may have gone to scratch.
          if (atEnd === scratch) now._data = scratch._data;
          now._entered = false;
        } else {
          this._ctx = scratch._data;
        }
        const ownerCtx = owner?._ctx;
        scratch._data = ownerCtx instanceof Context ? ownerCtx._data : prevData;
        scratch._key = prevKey;
      }
    }
  }

  private _report(exc: unknown): void {
    this._loop.callExceptionHandler({
      message: `Exception in callback ${this.toString()}._step()`,
      exception: exc,
      task: this,
    });
  }

  /** @internal Python's `__wakeup` or a plain `__step`, by what scheduled us. */
  private _dispatch(): void {
    const f = this._flags;
    if ((f & T_WOKEN) !== 0) {
      this._flags = f & ~T_WOKEN;
      const woke = this._futWaiter!;
      const s = woke._flags & STATE_MASK;
      if (s === FINISHED) this._step(false, undefined);
      else if (s === FAILED) {
        woke._retrieved();
        this._step(true, woke._result);
      } else this._step(true, woke._makeCancelledError());
    } else if ((f & T_HAS_STEP_EXC) !== 0) {
      this._flags = f & ~T_HAS_STEP_EXC;
      const exc = this._aux;
      this._aux = undefined;
      this._step(true, exc);
    } else {
      this._step(false, undefined);
    }
  }

  /** @internal Mirrors `Task.__step`. */
  _step(hasExc: boolean, exc: unknown): void {
    if ((this._flags & STATE_MASK) !== PENDING) {
      throw new InvalidStateError(
        `_step(): already done: ${this.toString()}, ${hasExc ? describeError(exc) : "None"}`,
      );
    }
    if ((this._flags & T_MUST_CANCEL) !== 0) {
      if (!(exc instanceof CancelledError)) {
        exc = this._makeCancelledError();
        hasExc = true;
      }
      this._flags &= ~T_MUST_CANCEL;
    }
    this._futWaiter = null;
    const loop = this._loop;
    const prevTask = loop._currentTask;
    if (prevTask !== null) {
      throw new RuntimeError(
        `Cannot enter into task ${this.toString()} while another task ${prevTask.toString()} is being executed.`,
      );
    }
    loop._currentTask = this;
    const tracer = loop._tracer;
    if (tracer !== null) tracer._stepStart(this);
    try {
      this._stepRun(hasExc, exc);
    } finally {
      loop._currentTask = null;
      if (tracer !== null) tracer._stepEnd(this, this._futWaiter);
    }
  }

  /** @internal Mirrors `Task.__step_run_and_handle_result`. */
  _stepRun(hasExc: boolean, exc: unknown): void {
    const coro = this._coro!;
    let r: IteratorResult<Future<unknown> | undefined, T>;
    try {
      r = hasExc ? coro.throw(exc) : coro.next(undefined);
    } catch (e) {
      if (e instanceof CancelledError) {
        // Saved first: done-entries that settle at once (native awaiters) must see it.
        this._aux = e;
        this._cancel();
      } else {
        this._setException(e);
      }
      return;
    }
    if (r.done) {
      if ((this._flags & T_MUST_CANCEL) !== 0) {
        this._flags &= ~T_MUST_CANCEL;
        this._cancel(this._result as string | undefined);
      } else {
        this._setResult(r.value);
      }
      return;
    }
    const result = r.value;
    if (result instanceof Future) {
      if (result._loop !== this._loop) {
        this._scheduleStepWith(
          new RuntimeError(
            `Task ${this.toString()} got Future ${result.toString()} attached to a different loop`,
          ),
        );
      } else if ((result._flags & F_BLOCKING) !== 0) {
        if (result === this) {
          this._scheduleStepWith(
            new RuntimeError(`Task cannot await on itself: ${this.toString()}`),
          );
        } else {
          result._flags &= ~F_BLOCKING;
          result._addEntry(this);
          this._futWaiter = result;
          if ((this._flags & T_MUST_CANCEL) !== 0 && result.cancel(this._result as string)) {
            this._flags &= ~T_MUST_CANCEL;
          }
        }
      } else {
        this._scheduleStepWith(
          new TypeError(
            `yield was used instead of yield* in task ${this.toString()} with ${result.toString()}: write \`yield* fut\` to await a future`,
          ),
        );
      }
    } else if (result === undefined) {
      this._loop._pushReady(this);
    } else if (_isCoroutine(result)) {
      this._scheduleStepWith(
        new TypeError(
          `yield was used instead of yield* for generator in task ${this.toString()}: write \`yield* coro\` to await a coroutine`,
        ),
      );
    } else if ((result as unknown) instanceof AGenState) {
      this._scheduleStepWith(
        new TypeError(
          `Task ${this.toString()} awaited the emit() of async generator ${(result as unknown as AGenState)._label} outside that generator's body: only its body (and coroutines it awaits) can emit`,
        ),
      );
    } else if (isPromiseLike(result)) {
      this._scheduleStepWith(
        new TypeError(
          `Task ${this.toString()} yielded a Promise: use \`yield* fromPromise(p)\` from @asyncio-ts/promise`,
        ),
      );
    } else {
      this._scheduleStepWith(
        new TypeError(
          `Task got bad yield: ${describe(result)} (yield* a Future, Task or coroutine; a bare \`yield\` gives the loop one turn)`,
        ),
      );
    }
  }

  /** @internal Schedule the next step to throw `exc` into the coroutine. */
  _scheduleStepWith(exc: unknown): void {
    this._flags |= T_HAS_STEP_EXC;
    this._aux = exc;
    this._loop._pushReady(this);
  }

  /** @internal Mirrors `Task.__eager_start`. */
  _eagerStart(): void {
    const loop = this._loop;
    const prevTask = loop._currentTask;
    loop._currentTask = this;
    this._link();
    const tracer = loop._tracer;
    if (tracer !== null) tracer._stepStart(this);
    try {
      this._runInContext(true);
    } finally {
      if (tracer !== null) tracer._stepEnd(this, this._futWaiter);
      loop._currentTask = prevTask;
      if ((this._flags & STATE_MASK) !== PENDING) this._coro = null;
    }
  }

  /** @internal `_logDestroyPending`: report this task if the loop closes while it is pending. */
  get _logDestroyPending(): boolean {
    return (this._flags & T_LOG_DESTROY_PENDING) !== 0;
  }
  set _logDestroyPending(v: boolean) {
    if (v) this._flags |= T_LOG_DESTROY_PENDING;
    else this._flags &= ~T_LOG_DESTROY_PENDING;
  }

  /** @internal Join the loop's live-task list (Python's `_register_task`). */
  _link(): void {
    if ((this._flags & STATE_MASK) !== PENDING) return;
    const loop = this._loop;
    this._flags |= T_LIVE;
    this._prevLive = loop._liveTail;
    if (loop._liveTail !== null) loop._liveTail._nextLive = this;
    else loop._liveHead = this;
    loop._liveTail = this;
    if (loop._tracer !== null) loop._tracer._created(this);
  }

  /** @internal */
  override _onDone(): void {
    if ((this._flags & T_LIVE) === 0) return;
    this._flags &= ~T_LIVE;
    const loop = this._loop;
    const p = this._prevLive;
    const n = this._nextLive;
    if (p !== null) p._nextLive = n;
    else loop._liveHead = n;
    if (n !== null) n._prevLive = p;
    else loop._liveTail = p;
    this._prevLive = this._nextLive = null;
  }
}

/**
 * Mirrors `asyncio.create_task(coro, *, name=None, context=None)`: schedule a coroutine on the
 * running loop.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * function* hello() {
 *   console.log("hello");
 * }
 * await run((function* () {
 *   yield* createTask(hello());
 * })());
 */
export function createTask<T>(
  coro: Coroutine<T>,
  options?: { name?: string | null; context?: Context | null },
): Task<T> {
  if (!_isCoroutine(coro)) Task._checkCoro(coro);
  return getRunningLoopStrict().createTask(coro, options);
}

/** @internal */
export function getRunningLoopStrict(): BaseEventLoop {
  const loop = _getRunningLoopOrNull();
  if (loop === null) throw new RuntimeError("no running event loop");
  return loop;
}

function* wrapAwaitable<T>(aw: Awaitable<T>): Coroutine<T> {
  return yield* aw;
}

/** @internal `ensure_future` with the loop already resolved. */
export function _ensureFuture<T>(
  aw: Awaitable<T> | Coroutine<T> | Future<T>,
  loop: BaseEventLoop | null,
): Future<T> {
  if (aw instanceof Future && !_isCoroutine(aw)) {
    if (loop !== null && loop !== aw._loop) {
      throw new RangeError(
        "The future belongs to a different loop than the one specified as the loop argument",
      );
    }
    return aw;
  }
  let coro: Coroutine<T>;
  if (_isCoroutine(aw)) coro = aw as Coroutine<T>;
  else if (
    aw !== null &&
    typeof aw === "object" &&
    typeof (aw as Awaitable<T>)[Symbol.iterator] === "function"
  ) {
    coro = wrapAwaitable(aw as Awaitable<T>);
  } else {
    throw new TypeError(notAwaitableMessage(aw));
  }
  return (loop ?? _defaultLoop()).createTask(coro);
}

/**
 * Mirrors `asyncio.ensure_future(coro_or_future, *, loop=None)`: a Future as is, a coroutine or
 * awaitable wrapped in a Task.
 * @example
 * import { ensureFuture, run } from "@asyncio-ts/core";
 * function* one() {
 *   return 1;
 * }
 * await run((function* () {
 *   const t = ensureFuture(one());
 *   console.log(yield* t); // 1
 * })());
 */
export function ensureFuture<T>(
  coroOrFuture: Awaitable<T> | Coroutine<T> | Future<T>,
  options?: { loop?: AbstractEventLoop | null },
): Future<T> {
  return _ensureFuture(coroOrFuture, (options?.loop ?? null) as BaseEventLoop | null);
}

/**
 * Mirrors `asyncio.current_task(loop=None)`: the task running now, or `null`.
 * @example
 * import { currentTask, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   console.log(currentTask()?.getName()); // Task-1 (in a fresh process)
 * })());
 */
export function currentTask(loop?: AbstractEventLoop | null): Task<unknown> | null {
  const l = (loop ?? getRunningLoopStrict()) as BaseEventLoop;
  return l._currentTask;
}

/**
 * Mirrors `asyncio.all_tasks(loop=None)`: the loop's tasks that are not done yet.
 * @example
 * import { allTasks, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   console.log(allTasks().size); // 1 (the main task)
 * })());
 */
export function allTasks(loop?: AbstractEventLoop | null): Set<Task<unknown>> {
  const l = (loop ?? getRunningLoopStrict()) as BaseEventLoop;
  const out = new Set<Task<unknown>>();
  for (let t = l._liveHead; t !== null; t = t._nextLive) if (!t.done()) out.add(t);
  return out;
}

/**
 * Mirrors `asyncio.eager_task_factory`: tasks start running synchronously in `createTask` and
 * never touch the loop if they finish without blocking. Install with `loop.setTaskFactory()`.
 * @example
 * import { eagerTaskFactory, getRunningLoop, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   getRunningLoop().setTaskFactory(eagerTaskFactory);
 * })());
 */
export const eagerTaskFactory: TaskFactory = (loop, coro, options) =>
  new Task(coro, { loop, name: options.name, context: options.context, eagerStart: true });

/**
 * Mirrors `asyncio.create_eager_task_factory(custom_task_constructor)`.
 * @example
 * import { Task, createEagerTaskFactory } from "@asyncio-ts/core";
 * const factory = createEagerTaskFactory(Task);
 */
export function createEagerTaskFactory(
  ctor: new (
    coro: Coroutine<any>,
    options: {
      loop: AbstractEventLoop;
      name?: string | null;
      context?: Context | null;
      eagerStart: boolean;
    },
  ) => Task<any>,
): TaskFactory {
  return (loop, coro, options) =>
    new ctor(coro, { loop, name: options.name, context: options.context, eagerStart: true });
}
