import type { AbstractEventLoop } from "./abstract-event-loop.js";
import type { AsyncContextManager } from "./async-with.js";
import { type Context, copyContext } from "./context.js";
import { RuntimeError } from "./errors.js";
import { newEventLoop, setEventLoop } from "./events.js";
import { wrapFuture } from "./executor.js";
import { _getRunningLoopOrNull } from "./internal/running.js";
import { followPromise } from "./shared.js";
import { _isCoroutine, _throwNotACoroutine, allTasks, type Task } from "./task.js";
import { _checkTracer, type Tracer } from "./tracer.js";
import type { Coroutine } from "./types.js";

/** Options of {@link run} and {@link Runner}, as Python's keyword arguments. */
export interface RunOptions {
  /** Turn the loop's debug mode on or off (`undefined` leaves the loop's default). */
  debug?: boolean | null;
  /** Make the loop (default: `newEventLoop()` from the current policy, set as current). */
  loopFactory?: (() => AbstractEventLoop) | null;
  /** asyncio-ts extension: record the loop's tasks into this {@link Tracer} (`loop.setTracer`). */
  tracer?: Tracer | null;
}

enum State {
  Created = 0,
  Initialized = 1,
  Closed = 2,
}

/**
 * Mirrors `asyncio.Runner`: runs several top-level coroutines on one loop, then `close()`
 * cancels what is left, finalizes async generators, shuts the default executor down and
 * closes the loop. Supports `await using`, and `asyncWith` from a coroutine running on another
 * loop (Python's `with asyncio.Runner() as runner:` is a synchronous `with`; see {@link aenter}).
 * @example
 * import { Runner } from "@asyncio-ts/core";
 * function* add(a: number, b: number) {
 *   return a + b;
 * }
 * const runner = new Runner();
 * console.log(await runner.run(add(1, 2))); // 3
 * console.log(await runner.run(add(3, 4))); // 7
 * await runner.close();
 */
export class Runner implements AsyncContextManager<Runner, false> {
  private _state = State.Created;
  private _loop: AbstractEventLoop | null = null;
  private _context: Context | null = null;
  private _setEventLoop = false;
  private readonly _debug: boolean | null | undefined;
  private readonly _loopFactory: (() => AbstractEventLoop) | null | undefined;
  private readonly _tracer: Tracer | null;

  constructor(options?: RunOptions) {
    this._debug = options?.debug;
    this._loopFactory = options?.loopFactory;
    _checkTracer(options?.tracer);
    this._tracer = options?.tracer ?? null;
    if (this._loopFactory != null && typeof this._loopFactory !== "function") {
      throw new TypeError(
        `Expected \`loopFactory\` to be a function, got \`${String(this._loopFactory)}\``,
      );
    }
  }

  /**
   * Mirrors `Runner.run(coro, *, context=None)`: run `coro` as a task until it completes and
   * return (resolve with) its result.
   */
  run<T>(coro: Coroutine<T>, options?: { context?: Context | null }): Promise<T> {
    if (!_isCoroutine(coro)) _throwNotACoroutine(coro, "run", RangeError);
    if (_getRunningLoopOrNull() !== null) {
      throw new RuntimeError("Runner.run() cannot be called from a running event loop");
    }
    this._lazyInit();
    const loop = this._loop!;
    const task = loop.createTask(coro, { context: options?.context ?? this._context });
    return loop.runUntilComplete(task);
  }

  /** Mirrors `Runner.get_loop()`. */
  getLoop(): AbstractEventLoop {
    this._lazyInit();
    return this._loop!;
  }

  /**
   * Mirrors `Runner.close()`: cancel leftover tasks, then `shutdownAsyncgens()` and
   * `shutdownDefaultExecutor()` (each as a task, as Python), then close the loop.
   */
  async close(): Promise<void> {
    if (this._state !== State.Initialized) return;
    const loop = this._loop!;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      // CPython's constants.THREAD_JOIN_TIMEOUT: stop waiting for the executor after 300 s.
      await loop.runUntilComplete(loop.shutdownDefaultExecutor(300));
    } finally {
      if (this._setEventLoop) setEventLoop(null);
      loop.close();
      this._loop = null;
      this._state = State.Closed;
    }
  }

  /**
   * Mirrors `Runner.__enter__` (Python's Runner is a synchronous context manager; this is its
   * `asyncWith` form): make the loop if not yet made, and give the runner to the body. Only the
   * runner's lifetime is managed: the body runs on the caller's loop, so it cannot call
   * `runner.run()` (a `RuntimeError`, as from any running loop); it can hand the runner, or its
   * loop, to code outside, and the loop is closed at the end.
   * @example
   * import { asyncWith, run, Runner } from "@asyncio-ts/core";
   * await run((function* () {
   *   const loop = yield* asyncWith(new Runner(), function* (runner) {
   *     return runner.getLoop();
   *   });
   *   console.log(loop.isClosed()); // true
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__enter__` awaits nothing.
  *aenter(): Coroutine<this> {
    this._lazyInit();
    return this;
  }

  /**
   * Mirrors `Runner.__exit__`: {@link close}, awaited without blocking the caller's loop; never
   * suppresses the body's error. `close()` runs this runner's loop, which cannot start inside
   * another loop's callback, so it starts from a promise job and the coroutine waits for it.
   * Cancelling the waiting task stops the wait, not the closing.
   * @example
   * import { asyncWith, run, Runner } from "@asyncio-ts/core";
   * await run((function* () {
   *   const runner = new Runner();
   *   yield* asyncWith(runner, function* () {});
   *   try {
   *     runner.getLoop();
   *   } catch (e) {
   *     console.log((e as Error).message); // Runner is closed
   *   }
   * })());
   */
  *aexit(_exc: unknown): Coroutine<undefined> {
    const closing = Promise.resolve().then(() => this.close());
    yield* wrapFuture(followPromise(closing));
    return undefined;
  }

  /** `await using runner = new Runner()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private _lazyInit(): void {
    if (this._state === State.Closed) throw new RuntimeError("Runner is closed");
    if (this._state === State.Initialized) return;
    if (this._loopFactory == null) {
      this._loop = newEventLoop();
      if (!this._setEventLoop) {
        setEventLoop(this._loop);
        this._setEventLoop = true;
      }
    } else {
      this._loop = this._loopFactory();
    }
    if (this._debug != null) this._loop.setDebug(this._debug);
    if (this._tracer !== null) this._loop.setTracer(this._tracer);
    this._context = copyContext();
    this._state = State.Initialized;
  }
}

/** Python's `runners._cancel_all_tasks`. */
async function cancelAllTasks(loop: AbstractEventLoop): Promise<void> {
  const toCancel = [...allTasks(loop)];
  if (toCancel.length === 0) return;
  for (const t of toCancel) t.cancel();
  // Python gathers them with return_exceptions=True; this future does the same waiting.
  const all = loop.createFuture<void>();
  let left = toCancel.length;
  for (const t of toCancel) {
    t.addDoneCallback(() => {
      if (--left === 0 && !all.done()) all.setResult(undefined);
    });
  }
  await loop.runUntilComplete(all);
  for (const t of toCancel) {
    if (t.cancelled()) continue;
    const exc = t.exception();
    if (exc !== null) {
      loop.callExceptionHandler({
        message: "unhandled exception during asyncio.run() shutdown",
        exception: exc,
        task: t as Task<unknown>,
      });
    }
  }
}

/**
 * Mirrors `asyncio.run(main, *, debug=None, loop_factory=None)`: run `main` on a new loop, then
 * cancel leftover tasks, shut down async generators and the default executor, and close the
 * loop. JS cannot block, so it returns a Promise of `main`'s result.
 * @example
 * import { run } from "@asyncio-ts/core";
 * function* main() {
 *   return "done";
 * }
 * console.log(await run(main())); // done
 */
export function run<T>(main: Coroutine<T>, options?: RunOptions): Promise<T> {
  if (_getRunningLoopOrNull() !== null) {
    throw new RuntimeError("asyncio.run() cannot be called from a running event loop");
  }
  const runner = new Runner(options);
  let p: Promise<T>;
  try {
    p = runner.run(main);
  } catch (e) {
    void runner.close();
    throw e;
  }
  return p.then(
    async (v) => {
      await runner.close();
      return v;
    },
    async (e: unknown) => {
      await runner.close();
      throw e;
    },
  );
}
