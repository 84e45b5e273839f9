import { type BaseEventLoop, type Coroutine, Future, getRunningLoop } from "@asyncio-ts/core";
import { checkSeconds } from "./internal/validate.js";

// Bits of `_flags` above the ones Future and Task use.
const S_STARTED = 1 << 16;
const S_ZERO = 1 << 17;
const S_TIMER_CANCELLED = 1 << 18;
const S_SCHEDULED = 1 << 19;
const S_FINISHED = 1 << 20;
// Future's F_BLOCKING: what `yield* fut` sets before handing the future to the task.
const F_BLOCKING = 8;

/**
 * What `sleep()` returns: the coroutine, the future the task waits on, and the timer-heap entry,
 * all in one object. Python's sleep is a coroutine that makes a future plus a
 * `call_later(_set_result_unless_cancelled)` handle; one object keeps the same event order in a
 * third of the memory, which is what a pending sleeping task mostly is.
 */
class SleepCoroutine<T> extends Future<T> {
  /** @internal The delay until started, then the loop time it fires at. */ _when: number;
  /** @internal */ _seq = 0;

  constructor(delay: number, result: T) {
    super(Future._UNBOUND);
    this._when = delay;
    // The result waits in the result slot until the timer fires.
    this._result = result;
  }

  /** @internal Timer-heap protocol. */
  get _cancelled(): boolean {
    return (this._flags & S_TIMER_CANCELLED) !== 0;
  }
  /** @internal */
  get _scheduled(): boolean {
    return (this._flags & S_SCHEDULED) !== 0;
  }
  set _scheduled(v: boolean) {
    if (v) this._flags |= S_SCHEDULED;
    else this._flags &= ~S_SCHEDULED;
  }

  /** @internal Timer fired: Python's `futures._set_result_unless_cancelled`. */
  _run(): void {
    if ((this._flags & S_TIMER_CANCELLED) === 0 && !this.done()) this._setResult(this._result as T);
  }

  /** @internal Python's `h.cancel()` in sleep's `finally`. */
  private _cancelTimer(): void {
    if ((this._flags & S_TIMER_CANCELLED) === 0) {
      if (this._loop !== null) this._loop._timerHandleCancelled(this);
      this._flags |= S_TIMER_CANCELLED;
    }
  }

  next(): IteratorResult<Future<unknown> | undefined, T> {
    const f = this._flags;
    if ((f & S_FINISHED) !== 0) return { value: undefined as T, done: true };
    if ((f & S_STARTED) === 0) {
      this._flags = f | S_STARTED;
      const delay = this._when;
      try {
        checkSeconds(delay, "delay");
      } catch (e) {
        this._flags |= S_FINISHED;
        throw e;
      }
      if (delay <= 0) {
        this._flags |= S_ZERO;
        return { value: undefined, done: false };
      }
      const loop = getRunningLoop() as BaseEventLoop;
      loop._checkClosed();
      this._loop = loop;
      this._when = loop.time() + delay;
      this._seq = loop._nextTimerSeq();
      loop._pushTimer(this);
      this._flags |= F_BLOCKING;
      return { value: this, done: false };
    }
    this._flags |= S_FINISHED;
    if ((f & S_ZERO) !== 0) return { value: this._result as T, done: true };
    this._cancelTimer();
    return { value: this.result(), done: true };
  }

  throw(e: unknown): never {
    this._flags |= S_FINISHED;
    this._cancelTimer();
    throw e;
  }

  return(value: T): IteratorResult<Future<unknown> | undefined, T> {
    this._flags |= S_FINISHED;
    this._cancelTimer();
    return { value, done: true };
  }

  override [Symbol.iterator](): Generator<Future<unknown>, T, unknown> {
    return this as unknown as Generator<Future<unknown>, T, unknown>;
  }
}

/**
 * `sleep(d)` for a delay known to be `<= 0`: one bare yield (Python's `__sleep0`), in an object
 * a fifth the size of a timer future — `sleep(0)` is the hot "let others run" call.
 */
class YieldOnce<T> {
  private _step = 0;
  constructor(private readonly _value: T) {}
  next(): IteratorResult<undefined, T> {
    if (this._step === 0) {
      this._step = 1;
      return { value: undefined, done: false };
    }
    this._step = 2;
    return { value: this._value, done: true };
  }
  throw(e: unknown): never {
    this._step = 2;
    throw e;
  }
  return(value: T): IteratorResult<undefined, T> {
    this._step = 2;
    return { value, done: true };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * Mirrors `asyncio.sleep(delay, result=None)`: suspend the current task for `delay` seconds
 * (on the loop's clock) and return `result`. `sleep(0)` yields to the loop once; a delay `<= 0`
 * means now. A `NaN` or non-number delay throws `TypeError` when awaited, as Python raises
 * inside the coroutine.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const v = yield* sleep(0.01, "done");
 *   console.log(v); // done
 * })());
 */
export function sleep(delay: number): Coroutine<undefined>;
export function sleep<T>(delay: number, result: T): Coroutine<T>;
export function sleep<T>(delay: number, result?: T): Coroutine<T | undefined> {
  if (typeof delay === "number" && delay <= 0) {
    return new YieldOnce(result) as unknown as Coroutine<T | undefined>;
  }
  return new SleepCoroutine(delay, result) as unknown as Coroutine<T | undefined>;
}
