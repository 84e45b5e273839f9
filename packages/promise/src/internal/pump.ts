import {
  _getRunningLoop,
  type AbstractEventLoop,
  type AIterable,
  type AIterator,
  aiter,
  anext,
  type Coroutine,
  currentTask,
  type Future,
  isCancelledError,
  RuntimeError,
  type Task,
} from "@asyncio-ts/core";
import { isAwaitable } from "@asyncio-ts/core/shared";
import type { ConcurrentHandle } from "../concurrent-handle.js";
import { runCoroutineThreadsafe } from "../run-coroutine-threadsafe.js";
import { _registerSource, toPromise } from "../to-promise.js";
import { Bridge } from "./bridge.js";
import { checkLoop, describeValue } from "./validate.js";

/** The operations of a native async iterator. */
export const NEXT = 0;
export const RETURN = 1;
export const THROW = 2;
type Op = typeof NEXT | typeof RETURN | typeof THROW;

/** `anext`'s default: the end of the source. */
const END: unique symbol = Symbol("end");

function done<R>(value: R): IteratorReturnResult<R> {
  return { done: true, value };
}

/** The options toAsyncIterable and toReadableStream share. */
export interface LoopOption {
  loop?: AbstractEventLoop | null;
}

/**
 * @internal Drives an asyncio-ts async iterator for native callers: each request (a native
 * `next`/`return`/`throw`) becomes one step, a task on the loop, and gives a Promise for its
 * outcome. Steps run one at a time, in the order they start, as a native async generator queues
 * its requests.
 */
export class Pump<T> {
  readonly loop: AbstractEventLoop;
  readonly bridge: Bridge;
  private readonly _it: AIterator<T, unknown>;
  /** Set when return()/throw() is called: later next() requests give done without pulling. */
  private _closing = false;
  /** The source ran out, raised or was closed (set on the loop, by the step that saw it). */
  private _finished = false;
  /** The last step to start: the next one waits for it. */
  private _last: Task<unknown> | null = null;
  /** The step awaiting the source's anext(), which return()/throw() cancel. */
  private _current: Task<unknown> | null = null;

  constructor(source: unknown, options: LoopOption | null | undefined, fn: string) {
    if (options != null && typeof options !== "object") {
      throw new TypeError(
        `Expected \`options\` to be an object, got \`${describeValue(options)}\` (${typeof options})`,
      );
    }
    this._it = sourceIterator<T>(source);
    const loop = options?.loop;
    if (loop == null) {
      const running = _getRunningLoop();
      if (running === null) {
        throw new RuntimeError(
          `no running event loop: call ${fn}() inside a running loop or pass \`options.loop\``,
        );
      }
      this.loop = running;
    } else {
      checkLoop(loop, "options.loop");
      if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
      this.loop = loop;
    }
    this.bridge = new Bridge(this.loop);
  }

  /** One native request; never throws (a failure is a rejected Promise). */
  request(op: Op, arg?: unknown): Promise<IteratorResult<T, unknown>> {
    if (op === NEXT) {
      if (this._finished || this._closing) return Promise.resolve(done(undefined));
    } else {
      if (this._finished) {
        return op === RETURN ? Promise.resolve(done(arg)) : Promise.reject(arg);
      }
      this._closing = true;
      this._cancelCurrent();
    }
    const end = this.bridge.beginStep();
    try {
      const coro = this._step(op, arg, end);
      if (_getRunningLoop() === this.loop) {
        const task = this.loop.createTask(coro);
        // A task cancelled before it starts never enters the coroutine's `finally`.
        task.addDoneCallback(end);
        return toPromise(task);
      }
      const handle = runCoroutineThreadsafe(coro, this.loop);
      handle.addDoneCallback(end);
      const p = handle.then();
      _registerSource(p, handle as ConcurrentHandle<unknown>);
      return p;
    } catch (e) {
      end();
      return Promise.reject(e);
    }
  }

  private _cancelCurrent(): void {
    if (_getRunningLoop() === this.loop) {
      this._current?.cancel();
      return;
    }
    if (this.loop.isClosed()) return;
    this.loop.callSoonThreadsafe(() => this._current?.cancel());
  }

  private *_step(op: Op, arg: unknown, end: () => void): Coroutine<IteratorResult<T, unknown>> {
    const me = currentTask()!;
    const prev = this._last;
    this._last = me;
    try {
      if (prev !== null && !prev.done()) yield* settled(prev);
      if (op === NEXT) {
        if (this._finished || this._closing) return done(undefined);
        let v: T | typeof END;
        this._current = me;
        try {
          v = yield* anext(this._it, END);
        } catch (e) {
          this._finished = true;
          if (this._closing && isCancelledError(e) && me.cancelling() > 0) {
            // Cancelled by return()/throw(): the pending next() ends the iteration.
            me.uncancel();
            return done(undefined);
          }
          throw e;
        } finally {
          this._current = null;
        }
        if (v === END) {
          this._finished = true;
          return done(undefined);
        }
        return { done: false, value: v };
      }
      if (this._finished) {
        if (op === RETURN) return done(arg);
        throw arg;
      }
      this._finished = true;
      const it = this._it as AIterator<T, unknown> & {
        athrow?: (e: unknown) => unknown;
      };
      if (op === THROW && typeof it.athrow === "function") {
        // An async generator sees the error where it is paused. If it handles it and emits
        // again, it is closed all the same: throw() ends the iteration.
        const r = yield* awaitResult<IteratorResult<T, unknown>>(it.athrow(arg), it, "athrow");
        if (!r.done && typeof it.aclose === "function") {
          yield* awaitResult(it.aclose(), it, "aclose");
        }
        return done(undefined);
      }
      if (typeof it.aclose === "function") yield* awaitResult(it.aclose(), it, "aclose");
      if (op === THROW) throw arg;
      return done(arg);
    } finally {
      if (this._last === me) this._last = null;
      end();
    }
  }
}

/** Waits until `fut` is done, whatever its outcome (a cancellation of ours still raises). */
function* settled(fut: Future<unknown>): Coroutine<void> {
  const w = fut.getLoop().createFuture<void>();
  fut.addDoneCallback(() => {
    if (!w.done()) w.setResult(undefined);
  });
  yield* w;
}

function* awaitResult<R>(aw: unknown, it: unknown, name: string): Coroutine<R> {
  if (!isAwaitable(aw)) {
    throw new TypeError(
      `${name}() of \`${describeValue(it)}\` returned \`${describeValue(aw)}\`, which is not awaitable`,
    );
  }
  return yield* aw as Coroutine<R>;
}

/** The asyncio-ts async iterator of `source`, or a TypeError for anything else. */
function sourceIterator<T>(source: unknown): AIterator<T, unknown> {
  const hasAsyncIterator =
    source != null &&
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
  const isA =
    source != null &&
    (typeof (source as AIterable<T>).aiter === "function" ||
      typeof (source as AIterator<T>).anext === "function");
  if (hasAsyncIterator && !isA) {
    throw new TypeError(
      `Expected \`source\` to be an asyncio-ts async iterable (an object with aiter() or anext()), got \`${describeValue(source)}\`: it already is a JS async iterable, use it directly`,
    );
  }
  return aiter(source as AIterable<T>);
}
