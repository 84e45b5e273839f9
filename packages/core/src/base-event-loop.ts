import type {
  AbstractEventLoop,
  ExceptionContext,
  ExceptionHandler,
  TaskFactory,
} from "./abstract-event-loop.js";
import type { Context } from "./context.js";
import { RuntimeError } from "./errors.js";
import { _defaultExecutorFactory, _wrapConcurrent, type Executor } from "./executor.js";
import { Future, isFuture } from "./future.js";
import { Handle, type ReadyEntry, type TimerEntry, TimerHandle } from "./handle.js";
import {
  clearHostTimer,
  hostNowMs,
  makeMacrotaskScheduler,
  setHostTimer,
} from "./internal/host.js";
import { ReadyQueue } from "./internal/ready-queue.js";
import { describe, describeError } from "./internal/repr.js";
import { _getRunningLoopOrNull, _setRunningLoop } from "./internal/running.js";
import { checkCallback, checkTime } from "./internal/validate.js";
import { _ensureFuture, _isCoroutine, Task } from "./task.js";
import { _checkTracer, type Tracer } from "./tracer.js";
import type { Awaitable, Coroutine } from "./types.js";

// Python drops cancelled timers from the heap when there are more than this many and they make
// up more than this fraction of it.
const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
// How long one host macrotask may keep running loop iterations before the host gets a turn
// (I/O, promise jobs, rendering).
const BATCH_BUDGET_MS = 8;

/**
 * The default event loop (Python's `BaseEventLoop` + `SelectorEventLoop`, 3.13's
 * `asyncio.EventLoop`). It is a guest on the host's event loop: it runs many iterations per host
 * macrotask, yields to the host every few milliseconds, sets one host timer for its earliest
 * deadline, and wakes when work arrives from outside.
 * @example
 * import { BaseEventLoop } from "@asyncio-ts/core";
 * const loop = new BaseEventLoop();
 * loop.callSoon(() => { console.log("hi"); loop.stop(); });
 * await loop.runForever();
 * loop.close();
 */
export class BaseEventLoop implements AbstractEventLoop {
  /** Mirrors `loop.slow_callback_duration` (seconds), used in debug mode. */
  slowCallbackDuration = 0.1;

  /** @internal */ readonly _ready = new ReadyQueue();
  /** @internal Binary min-heap ordered by (when, seq). */ _timers: TimerEntry[] = [];
  /** @internal */ _timerSeq = 0;
  /** @internal */ _timerCancelledCount = 0;
  /** @internal */ _closed = false;
  /** @internal */ _running = false;
  /** @internal */ _stopping = false;
  /** @internal */ _debug = false;
  /** @internal */ _exceptionHandler: ExceptionHandler | null = null;
  /** @internal */ _taskFactory: TaskFactory | null = null;
  /** @internal */ _defaultExecutor: Executor | null = null;
  /** @internal */ _executorShutdownCalled = false;
  /** @internal Python's `_current_tasks[loop]`. */ _currentTask: Task<unknown> | null = null;
  /** @internal Live (not done) tasks, a doubly linked list through the tasks. */
  _liveHead: Task<unknown> | null = null;
  /** @internal */ _liveTail: Task<unknown> | null = null;
  /** @internal */ _externalWork = 0;
  /** @internal The recorder of `setTracer`, or null (then tracing costs one check per step). */
  _tracer: Tracer | null = null;
  /** @internal Open async generators, finalized by `shutdownAsyncgens()`. */
  _asyncgens = new Set<{ aclose(): Coroutine<unknown> }>();
  /** @internal */ _asyncgensShutdownCalled = false;

  // Host scheduling state.
  /** @internal True while a host macrotask is running iterations. */ _inBatch = false;
  /** @internal */ _batchScheduled = false;
  /** @internal Running, but waiting for a host timer or for work from outside. */ _idle = false;
  private _hostTimer: unknown = null;
  private _runResolve: (() => void) | null = null;
  private _runReject: ((e: unknown) => void) | null = null;
  private readonly _scheduleHostBatch: () => void;

  /** @internal When the host last gave the loop a turn (a macrotask batch or host timer). */
  _turnStart = 0;
  private readonly _batchNow = () => this._batch();

  constructor() {
    this._scheduleHostBatch = makeMacrotaskScheduler(() => {
      this._turnStart = hostNowMs();
      this._batch();
    });
  }

  // ---- running and stopping --------------------------------------------------------------

  /** Mirrors `loop.run_forever()`: resolves after `stop()` is called and the iteration ends. */
  runForever(): Promise<void> {
    this._checkClosed();
    this._checkRunning();
    this._running = true;
    return new Promise<void>((resolve, reject) => {
      this._runResolve = resolve;
      this._runReject = reject;
      this._idle = false;
      this._scheduleBatch();
    });
  }

  /**
   * Mirrors `loop.run_until_complete(future)`: runs the loop until `aw` is done and returns its
   * result (a coroutine is wrapped in a task).
   */
  runUntilComplete<T>(aw: Awaitable<T> | Coroutine<T>): Promise<T> {
    this._checkClosed();
    this._checkRunning();
    const newTask = !isFuture(aw);
    const future = _ensureFuture(aw, this) as Future<T>;
    if (newTask) (future as Task<T>)._logDestroyPending = false;
    const stopCb = runUntilCompleteCb;
    future.addDoneCallback(stopCb);
    const cleanup = () => future.removeDoneCallback(stopCb);
    return this.runForever().then(
      () => {
        cleanup();
        if (!future.done()) throw new RuntimeError("Event loop stopped before Future completed.");
        const result = future.result();
        if (result instanceof Future) {
          // A Promise cannot resolve to a thenable without waiting for it, and with the loop
          // stopped a pending Future would never settle (CPython hands the object back).
          throw new TypeError(
            `the awaitable returned ${result.toString()}: a Promise cannot resolve to a Future or Task, so wrap it (return { task }) to hand it out of the loop`,
          );
        }
        return result;
      },
      (err: unknown) => {
        cleanup();
        if (newTask && future.done() && !future.cancelled()) future.exception();
        throw err;
      },
    );
  }

  /** Mirrors `loop.stop()`: the current iteration finishes, then `runForever` resolves. */
  stop(): void {
    this._stopping = true;
    if (this._idle) this._wake();
  }

  /** Mirrors `loop.is_running()`. */
  isRunning(): boolean {
    return this._running;
  }

  /** Mirrors `loop.is_closed()`. */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Mirrors `loop.close()`: drops pending callbacks and shuts the default executor down without
   * waiting. Tasks still pending are reported ("Task was destroyed but it is pending!"), which
   * CPython does when it collects them.
   */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    for (let t = this._liveHead; t !== null; t = t._nextLive) {
      if (t._logDestroyPending) {
        this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task: t });
      }
    }
    this._closed = true;
    this._ready.clear();
    for (const t of this._timers) t._scheduled = false;
    this._timers.length = 0;
    this._timerCancelledCount = 0;
    this._clearHostTimer();
    const executor = this._defaultExecutor;
    if (executor !== null) {
      this._defaultExecutor = null;
      void Promise.resolve()
        .then(() => executor.shutdown({ wait: false }))
        .catch(() => {});
    }
  }

  /** Mirrors `loop.time()`: monotonic seconds. */
  time(): number {
    return hostNowMs() / 1000;
  }

  // ---- scheduling callbacks --------------------------------------------------------------

  /** Mirrors `loop.call_soon(callback, *args)`. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon(callback: (...args: unknown[]) => unknown): Handle {
    this._checkClosed();
    if (typeof callback !== "function") checkCallback(callback, "callSoon");
    // `arguments` instead of a rest parameter: no array is made for the common no-args call.
    // biome-ignore lint/complexity/noArguments: measured hot path (1M callSoon in apps/bench).
    const n = arguments.length;
    // biome-ignore lint/complexity/noArguments: as above.
    const args = n > 1 ? Array.prototype.slice.call(arguments, 1) : null;
    const h = Handle._make(callback, args, null);
    this._pushReady(h);
    return h;
  }

  /**
   * `callSoon` with Python's `context=` argument: the callback runs *in* `context` (its
   * `ContextVar.set`s persist there) instead of in a copy of the current context.
   */
  callSoonInContext<A extends unknown[]>(
    context: Context,
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle {
    this._checkClosed();
    checkCallback(callback, "callSoon");
    const h = Handle._make(
      callback as (...a: unknown[]) => unknown,
      args.length > 0 ? args : null,
      context,
    );
    this._pushReady(h);
    return h;
  }

  /**
   * Mirrors `loop.call_soon_threadsafe(callback, *args)`: safe from outside the loop (host
   * callbacks, promise jobs, other loops); wakes an idle loop.
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this._checkClosed();
    checkCallback(callback, "callSoonThreadsafe");
    const h = Handle._make(
      callback as (...a: unknown[]) => unknown,
      args.length > 0 ? args : null,
      null,
    );
    this._pushReady(h);
    return h;
  }

  /** Mirrors `loop.call_later(delay, callback, *args)`; `delay` in seconds, `<= 0` means now. */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(delay, "delay");
    return this._callAt(this.time() + delay, callback, args, null);
  }

  /** Mirrors `loop.call_at(when, callback, *args)`; `when` on the `loop.time()` clock. */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(when, "when");
    return this._callAt(when, callback, args, null);
  }

  /** `callLater` with Python's `context=` argument (see {@link BaseEventLoop.callSoonInContext}). */
  callLaterInContext<A extends unknown[]>(
    context: Context,
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(delay, "delay");
    return this._callAt(this.time() + delay, callback, args, context);
  }

  /** `callAt` with Python's `context=` argument (see {@link BaseEventLoop.callSoonInContext}). */
  callAtInContext<A extends unknown[]>(
    context: Context,
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(when, "when");
    return this._callAt(when, callback, args, context);
  }

  /** @internal */
  _callAt(
    when: number,
    callback: (...args: any[]) => unknown,
    args: readonly unknown[] | null,
    context: Context | null,
  ): TimerHandle {
    this._checkClosed();
    checkCallback(callback, "callAt");
    const a = args !== null && args.length > 0 ? args : null;
    const t = new TimerHandle(when, this._timerSeq++, callback, a, this, context);
    this._pushTimer(t);
    return t;
  }

  /** @internal The next tie-breaking sequence number for a timer entry. */
  _nextTimerSeq(): number {
    return this._timerSeq++;
  }

  /** @internal Add a timer to the heap (and re-arm the host timer if the loop is idle). */
  _pushTimer(t: TimerEntry): void {
    t._scheduled = true;
    if (this._tracer !== null) this._tracer._timerScheduled(this, t._when);
    const heap = this._timers;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (parent._when < t._when || (parent._when === t._when && parent._seq < t._seq)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = t;
    if (this._idle && i === 0) this._wake();
  }

  private _popTimer(): TimerEntry {
    const heap = this._timers;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = heap[l]!;
        if (r < n) {
          const rc = heap[r]!;
          if (rc._when < child._when || (rc._when === child._when && rc._seq < child._seq)) {
            c = r;
            child = rc;
          }
        }
        if (last._when < child._when || (last._when === child._when && last._seq < child._seq)) {
          break;
        }
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  /** @internal */
  _timerHandleCancelled(t: TimerEntry): void {
    if (t._scheduled) this._timerCancelledCount++;
  }

  /** @internal Append to the ready queue, waking the loop if it is idle. */
  _pushReady(entry: ReadyEntry): void {
    this._ready.push(entry);
    if (this._idle) this._wake();
  }

  // ---- one iteration ---------------------------------------------------------------------

  /** @internal The `when` of the earliest live timer, dropping cancelled ones on the way. */
  _nextTimerWhen(): number | undefined {
    const heap = this._timers;
    if (
      heap.length > MIN_SCHEDULED_TIMER_HANDLES &&
      this._timerCancelledCount / heap.length > MIN_CANCELLED_TIMER_HANDLES_FRACTION
    ) {
      const live: TimerEntry[] = [];
      for (const t of heap) {
        if (t._cancelled) t._scheduled = false;
        else live.push(t);
      }
      this._timers = [];
      this._timerCancelledCount = 0;
      for (const t of live) this._pushTimer(t);
    } else {
      while (heap.length > 0 && heap[0]!._cancelled) {
        this._timerCancelledCount--;
        this._popTimer()._scheduled = false;
      }
    }
    return this._timers.length > 0 ? this._timers[0]!._when : undefined;
  }

  /** @internal Python's `_run_once`, minus the I/O poll (the host does I/O between batches). */
  _runOnce(): void {
    const next = this._nextTimerWhen();
    if (next !== undefined) {
      const now = this.time();
      // Python's `_when < now + clock_resolution`; past 2**24 s the addition is lost to
      // rounding, so `<= now` keeps a due timer from being skipped forever.
      const end = now + 1e-9;
      const heap = this._timers;
      while (heap.length > 0 && (heap[0]!._when < end || heap[0]!._when <= now)) {
        const t = this._popTimer();
        t._scheduled = false;
        if (this._tracer !== null) this._tracer._timerFired(this, t._when);
        this._pushReady(t);
      }
    }
    // Exactly the entries ready now; what they schedule runs next iteration.
    const q = this._ready;
    if (this._debug) {
      for (let n = q.size; n > 0; n--) this._runDebug(q.shift());
    } else {
      for (let n = q.size; n > 0; n--) q.shift()._run(this);
    }
  }

  private _runDebug(h: ReadyEntry): void {
    const t0 = this.time();
    h._run(this);
    const dt = this.time() - t0;
    if (dt >= this.slowCallbackDuration) {
      console.warn(`Executing ${describe(h)} took ${dt.toFixed(3)} seconds`);
    }
  }

  /** @internal True when nothing is in the ready queue. */
  _readyEmpty(): boolean {
    return this._ready.size === 0;
  }

  /**
   * @internal Called when an iteration left nothing ready. Return true to go on iterating now (a
   * timer is due), false after arranging to be woken. The virtual-time loop overrides this.
   */
  _whenIdle(): boolean {
    const next = this._nextTimerWhen();
    if (next === undefined) {
      this._idle = true;
      return false;
    }
    const delay = next - this.time();
    if (delay <= 0) return true;
    if (delay === Number.POSITIVE_INFINITY) {
      this._idle = true;
      return false;
    }
    this._idle = true;
    this._hostTimer = setHostTimer(this._onHostTimer, delay * 1000);
    return false;
  }

  private readonly _onHostTimer = () => {
    this._hostTimer = null;
    this._turnStart = hostNowMs();
    if (this._idle) this._wake();
  };

  private _clearHostTimer(): void {
    if (this._hostTimer !== null) {
      clearHostTimer(this._hostTimer);
      this._hostTimer = null;
    }
  }

  /** @internal Leave the idle state and run a batch soon. */
  _wake(): void {
    this._idle = false;
    this._clearHostTimer();
    if (!this._batchScheduled && hostNowMs() - this._turnStart < BATCH_BUDGET_MS) {
      // Woken from idle by outside work (a worker's reply, a settled promise): the host has had
      // its turn since we went idle, so run at once, as a microtask, instead of a macrotask hop
      // later. Past the budget the wake goes through the host again, so a ping-pong with promise
      // jobs cannot starve I/O and timers.
      this._batchScheduled = true;
      queueMicrotask(this._batchNow);
    } else {
      this._scheduleBatch();
    }
  }

  private _scheduleBatch(): void {
    if (this._batchScheduled) return;
    this._batchScheduled = true;
    this._scheduleHostBatch();
  }

  private _batch(): void {
    this._batchScheduled = false;
    if (!this._running || this._idle) return;
    const prevLoop = _setRunningLoop(this);
    this._inBatch = true;
    const start = hostNowMs();
    try {
      for (let n = 1; ; n++) {
        this._runOnce();
        if (this._stopping) {
          this._endRun(null);
          return;
        }
        if (this._readyEmpty() && !this._whenIdle()) return;
        if ((n & 15) === 0 && hostNowMs() - start > BATCH_BUDGET_MS) {
          this._scheduleBatch();
          return;
        }
      }
    } catch (e) {
      this._endRun(e);
    } finally {
      this._inBatch = false;
      _setRunningLoop(prevLoop);
    }
  }

  private _endRun(err: unknown): void {
    this._running = false;
    this._stopping = false;
    this._idle = false;
    this._clearHostTimer();
    const resolve = this._runResolve;
    const reject = this._runReject;
    this._runResolve = this._runReject = null;
    if (err === null) resolve?.();
    else reject?.(err);
  }

  // ---- futures and tasks -----------------------------------------------------------------

  /** Mirrors `loop.create_future()`. */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  /** Mirrors `loop.create_task(coro, *, name=None, context=None)`. */
  createTask<T>(
    coro: Coroutine<T>,
    options?: { name?: string | null; context?: Context | null },
  ): Task<T> {
    this._checkClosed();
    if (this._taskFactory === null) {
      return new Task(coro, { loop: this, name: options?.name, context: options?.context });
    }
    if (!_isCoroutine(coro)) Task._checkCoro(coro);
    const task = this._taskFactory(this, coro, {
      name: options?.name ?? null,
      context: options?.context ?? null,
    }) as Task<T>;
    if (options?.name != null && task instanceof Task) task.setName(options.name);
    return task;
  }

  /** Mirrors `loop.set_task_factory(factory)`. */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== "function") {
      throw new TypeError("task factory must be a callable or None");
    }
    this._taskFactory = factory;
  }

  /** Mirrors `loop.get_task_factory()`. */
  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  // ---- executors -------------------------------------------------------------------------

  /**
   * Mirrors `loop.run_in_executor(executor, func, *args)`. `null` means the loop's default
   * executor: the one set with `setDefaultExecutor`, else a thread pool created lazily by
   * `@asyncio-ts/executors` (import it once).
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    fn: (...args: A) => R,
    ...args: A
  ): Future<Awaited<R>> {
    this._checkClosed();
    checkCallback(fn, "runInExecutor");
    let ex = executor;
    if (ex === null || ex === undefined) {
      if (this._executorShutdownCalled) {
        throw new RuntimeError("Executor shutdown has been called");
      }
      ex = this._defaultExecutor;
      if (ex === null) {
        const factory = _defaultExecutorFactory();
        if (factory === null) {
          throw new RuntimeError(
            "no default executor: import '@asyncio-ts/executors' once (it registers a " +
              "ThreadPoolExecutor factory) or call loop.setDefaultExecutor(executor)",
          );
        }
        ex = factory(this);
        this._defaultExecutor = ex;
      }
    }
    return _wrapConcurrent(ex.submit(fn, ...args), this);
  }

  /** Mirrors `loop.set_default_executor(executor)`. */
  setDefaultExecutor(executor: Executor): void {
    if (
      executor === null ||
      typeof executor !== "object" ||
      typeof executor.submit !== "function"
    ) {
      throw new TypeError(
        `Expected \`executor\` to be an Executor (an object with submit() and shutdown()), got \`${describe(executor)}\``,
      );
    }
    this._defaultExecutor = executor;
  }

  /**
   * Mirrors `loop.shutdown_default_executor(timeout=None)`: a coroutine that waits for the
   * default executor's jobs and workers to finish.
   */
  *shutdownDefaultExecutor(timeout?: number | null): Coroutine<void> {
    this._executorShutdownCalled = true;
    const executor = this._defaultExecutor;
    if (executor === null) return;
    const done = this.createFuture<void>();
    const release = this.beginExternalWork();
    const finish = () => {
      if (!done.done()) done.setResult(undefined);
    };
    Promise.resolve()
      .then(() => executor.shutdown({ wait: true }))
      .then(
        () => this._fromOutside(release, finish),
        // As CPython 3.13: an error from the executor's shutdown propagates to the awaiter.
        (err: unknown) =>
          this._fromOutside(release, () => {
            if (!done.done()) done.setException(err);
          }),
      );
    let timer: TimerHandle | null = null;
    if (timeout != null) {
      timer = this.callLater(timeout, () => {
        console.warn(`The executor did not finish joining its threads within ${timeout} seconds.`);
        finish();
      });
    }
    try {
      yield* done;
    } finally {
      timer?.cancel();
      this._defaultExecutor = null;
    }
  }

  /**
   * Mirrors `loop.shutdown_asyncgens()`: closes every async generator still open on this loop.
   */
  *shutdownAsyncgens(): Coroutine<void> {
    this._asyncgensShutdownCalled = true;
    const gens = [...this._asyncgens];
    this._asyncgens.clear();
    if (gens.length === 0) return;
    const tasks = gens.map((g) => this.createTask(g.aclose()));
    const all = this.createFuture<void>();
    let left = tasks.length;
    for (const t of tasks) {
      t.addDoneCallback(() => {
        if (--left === 0 && !all.done()) all.setResult(undefined);
      });
    }
    yield* all;
    tasks.forEach((t, i) => {
      const exc = t.cancelled() ? null : t.exception();
      if (exc != null) {
        this.callExceptionHandler({
          message: "an error occurred during closing of asynchronous generator",
          exception: exc,
          asyncgen: gens[i],
        });
      }
    });
  }

  /** See {@link AbstractEventLoop.beginExternalWork}. */
  beginExternalWork(): () => void {
    this._externalWork++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this._externalWork--;
      this._externalWorkEnded();
    };
  }

  /** @internal Hook: the virtual-time loop re-checks its clock when outside work ends. */
  _externalWorkEnded(): void {}

  /** @internal Run `fn` on the loop from outside code, ending an external-work hold first. */
  _fromOutside(release: () => void, fn: () => void): void {
    if (this._closed) {
      release();
      return;
    }
    this.callSoonThreadsafe(() => {
      release();
      fn();
    });
  }

  // ---- errors and debug ------------------------------------------------------------------

  /** Mirrors `loop.set_exception_handler(handler)`. */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(`A callable object or None is expected, got ${describe(handler)}`);
    }
    this._exceptionHandler = handler;
  }

  /** Mirrors `loop.get_exception_handler()`. */
  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /** Mirrors `loop.default_exception_handler(context)`: logs to stderr (console.error). */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || "Unhandled exception in event loop"];
    for (const key of Object.keys(context).sort()) {
      if (key === "message" || key === "exception") continue;
      const value = context[key];
      if (key === "futureRepr") lines.push(`future: ${String(value)}`);
      else lines.push(`${key}: ${describe(value)}`);
    }
    const exc = context.exception;
    if (exc !== undefined) {
      lines.push(exc instanceof Error && exc.stack ? exc.stack : describeError(exc));
    }
    console.error(lines.join("\n"));
  }

  /** Mirrors `loop.call_exception_handler(context)`. */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (e) {
        console.error("Exception in default exception handler", e);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (exc) {
      try {
        this.defaultExceptionHandler({
          message: "Unhandled error in exception handler",
          exception: exc,
          context,
        });
      } catch (e) {
        console.error(
          "Exception in default exception handler while handling an unexpected error in custom exception handler",
          e,
        );
      }
    }
  }

  /** See {@link AbstractEventLoop.setTracer}. */
  setTracer(tracer: Tracer | null): void {
    _checkTracer(tracer);
    this._tracer = tracer ?? null;
  }

  /** See {@link AbstractEventLoop.getTracer}. */
  getTracer(): Tracer | null {
    return this._tracer;
  }

  /** Mirrors `loop.get_debug()`. */
  getDebug(): boolean {
    return this._debug;
  }

  /** Mirrors `loop.set_debug(enabled)`. */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  /** @internal */
  _checkClosed(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  /** @internal */
  _checkRunning(): void {
    if (this._running) throw new RuntimeError("This event loop is already running");
    if (_getRunningLoopOrNull() !== null) {
      throw new RuntimeError("Cannot run the event loop while another loop is running");
    }
  }

  toString(): string {
    const state = this._closed ? "closed" : this._running ? "running" : "idle";
    return `<${this.constructor.name} ${state} debug=${this._debug}>`;
  }
}

function runUntilCompleteCb(fut: Future<unknown>): void {
  // As Python: looking at the exception marks it retrieved, so a failing main is not reported.
  if (!fut.cancelled()) fut.exception();
  (fut._loop as BaseEventLoop).stop();
}

/**
 * The default event loop class; Python 3.13's `asyncio.EventLoop`.
 * @example
 * import { EventLoop } from "@asyncio-ts/core";
 * const loop = new EventLoop();
 * console.log(loop.isRunning()); // false
 * loop.close();
 */
export const EventLoop = BaseEventLoop;
/** The default event loop class; Python 3.13's `asyncio.EventLoop`. */
export type EventLoop = BaseEventLoop;
