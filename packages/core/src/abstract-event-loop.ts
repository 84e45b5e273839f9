import type { Context } from "./context.js";
import type { Executor } from "./executor.js";
import type { Future } from "./future.js";
import type { Handle, TimerHandle } from "./handle.js";
import type { Task } from "./task.js";
import type { Tracer } from "./tracer.js";
import type { Awaitable, Coroutine } from "./types.js";

/**
 * Mirrors the `context` dict passed to an asyncio exception handler (keys camelCased).
 * @example
 * import type { ExceptionContext } from "@asyncio-ts/core";
 * const ctx: ExceptionContext = { message: "Exception in callback f()", exception: new Error("x") };
 */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
  /** For "exception was never retrieved": the future is gone by then, so its repr stands in. */
  futureRepr?: string;
  [key: string]: unknown;
}

/**
 * Mirrors an asyncio exception handler: `handler(loop, context)`.
 * @example
 * import type { ExceptionHandler } from "@asyncio-ts/core";
 * const quiet: ExceptionHandler = (_loop, ctx) => void ctx.message;
 */
export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;

/**
 * Mirrors a task factory (`loop.set_task_factory`): `factory(loop, coro, options)`.
 * @example
 * import { Task, type TaskFactory } from "@asyncio-ts/core";
 * const factory: TaskFactory = (loop, coro, options) => new Task(coro, { ...options, loop });
 */
export type TaskFactory = (
  loop: AbstractEventLoop,
  coro: Coroutine<any>,
  options: { name?: string | null; context?: Context | null },
) => Task<any>;

/**
 * Mirrors `asyncio.AbstractEventLoop`. JS cannot block, so the methods that run the loop return
 * Promises; everything else keeps Python's shape.
 * @example
 * import { type AbstractEventLoop, newEventLoop } from "@asyncio-ts/core";
 * const loop: AbstractEventLoop = newEventLoop();
 * loop.close();
 */
export interface AbstractEventLoop {
  runUntilComplete<T>(aw: Awaitable<T> | Coroutine<T>): Promise<T>;
  runForever(): Promise<void>;
  stop(): void;
  isRunning(): boolean;
  isClosed(): boolean;
  close(): void;
  time(): number;
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  createFuture<T = unknown>(): Future<T>;
  createTask<T>(
    coro: Coroutine<T>,
    options?: { name?: string | null; context?: Context | null },
  ): Task<T>;
  setTaskFactory(factory: TaskFactory | null): void;
  getTaskFactory(): TaskFactory | null;
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    fn: (...args: A) => R,
    ...args: A
  ): Future<Awaited<R>>;
  setDefaultExecutor(executor: Executor): void;
  shutdownDefaultExecutor(timeout?: number | null): Coroutine<void>;
  shutdownAsyncgens(): Coroutine<void>;
  setExceptionHandler(handler: ExceptionHandler | null): void;
  getExceptionHandler(): ExceptionHandler | null;
  callExceptionHandler(context: ExceptionContext): void;
  defaultExceptionHandler(context: ExceptionContext): void;
  getDebug(): boolean;
  setDebug(enabled: boolean): void;
  slowCallbackDuration: number;
  /**
   * asyncio-ts extension (no Python twin): declare work outside the loop that will call back into
   * it (an executor job, an adapted Promise). The virtual-time loop waits for such work in real
   * time before it jumps the clock. Call the returned function once when the work is over.
   */
  beginExternalWork(): () => void;
  /**
   * asyncio-ts extension (no Python twin): record what this loop's tasks do into `tracer` (a
   * timeline in Chrome's Trace Event Format), or stop recording with `null`.
   */
  setTracer(tracer: Tracer | null): void;
  /** asyncio-ts extension: the tracer set by `setTracer`, or `null`. */
  getTracer(): Tracer | null;
}
