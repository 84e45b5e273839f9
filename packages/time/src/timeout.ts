import {
  type AsyncContextManager,
  CancelledError,
  type Coroutine,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  type Handle,
  RuntimeError,
  type Task,
  TimeoutError,
} from "@asyncio-ts/core";
import {
  badBodyResult,
  checkBody,
  checkOptionalSeconds,
  isAwaitable,
} from "./internal/validate.js";

/** Python's `timeouts._State`, by value (the values appear in messages and `toString()`). */
type State = "created" | "active" | "expiring" | "expired" | "finished";

/** Python's `str(float)` for the few values a deadline prints as. */
function pyFloat(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return "inf";
  if (n === Number.NEGATIVE_INFINITY) return "-inf";
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/**
 * Python's `Timeout._insert_timeout_error`. JS errors have no implicit `__context__`, so the walk
 * follows the explicit `cause` chain instead: an error thrown with `{ cause: cancelledError }`
 * gets a `TimeoutError` (itself caused by the `CancelledError`) spliced in between.
 */
function insertTimeoutError(exc: unknown): void {
  const seen = new Set<unknown>();
  let e = exc;
  while (e !== null && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const context = (e as { cause?: unknown }).cause;
    if (context == null) return;
    if (context instanceof CancelledError) {
      const te = new TimeoutError(undefined, { cause: context });
      // A frozen error keeps its chain; Python cannot meet that case.
      Reflect.set(e, "cause", te);
      return;
    }
    e = context;
  }
}

/**
 * Mirrors `asyncio.Timeout`: the deadline of a `timeout()`/`timeoutAt()` scope, passed to the body
 * and inspectable after the scope ends.
 *
 * `new Timeout(when)` is Python's `asyncio.Timeout(when)` (an absolute deadline on the
 * `loop.time()` clock, `null` for none). It is an asynchronous context manager, so
 * `yield* asyncWith(new Timeout(getRunningLoop().time() + 2), function* (cm) { ... })` from
 * `@asyncio-ts/core` is Python's `async with asyncio.timeout(2) as cm:`, the same as the scoped
 * {@link timeout} / {@link timeoutAt}. Low-level use: `enter()` inside a task, then `exit()` on
 * normal completion or `exit(error)` with what the guarded code threw, and rethrow that error if
 * `exit` returns. `exit` throws the `TimeoutError` when the deadline hit.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { sleep, timeout } from "@asyncio-ts/time";
 * await run((function* () {
 *   const r = yield* timeout(10, function* (cm) {
 *     cm.reschedule(cm.when()! + 5); // push the deadline back
 *     yield* sleep(0.01);
 *     return cm.expired();
 *   });
 *   console.log(r); // false
 * })());
 */
export class Timeout implements AsyncContextManager<Timeout, false> {
  private _state: State = "created";
  private _timeoutHandler: Handle | null = null;
  private _task: Task<unknown> | null = null;
  private _cancelling = 0;
  private _when: number | null;

  /**
   * A timeout that fires at loop time `when` once entered (`null`: never; a time already past:
   * on the next loop iteration). Throws `TypeError` for `NaN` or a non-number.
   */
  constructor(when: number | null) {
    checkOptionalSeconds(when, "when");
    this._when = when ?? null;
  }

  /** Mirrors `Timeout.when()`: the deadline on the `loop.time()` clock, or `null` for none. */
  when(): number | null {
    return this._when;
  }

  /**
   * Mirrors `Timeout.reschedule(when)`: move the deadline (`null` removes it; a time already
   * past fires on the next loop iteration). Only while the scope is active; otherwise a
   * `RuntimeError`, as Python.
   */
  reschedule(when: number | null): void {
    if (this._state !== "active") {
      if (this._state === "created") throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    checkOptionalSeconds(when, "when");
    this._when = when ?? null;

    if (this._timeoutHandler !== null) this._timeoutHandler.cancel();

    if (when == null) {
      this._timeoutHandler = null;
    } else {
      const loop = getRunningLoop();
      this._timeoutHandler =
        when <= loop.time() ? loop.callSoon(this._onTimeout) : loop.callAt(when, this._onTimeout);
    }
  }

  /** Mirrors `Timeout.expired()`: true once the deadline cancelled the scope's task. */
  expired(): boolean {
    return this._state === "expiring" || this._state === "expired";
  }

  /**
   * Mirrors `Timeout.__aenter__`: start the timeout for the current task. Low-level; the scoped
   * {@link timeout} / {@link timeoutAt} call it. Throws `RuntimeError` outside a task or when
   * already entered.
   */
  enter(): this {
    if (this._state !== "created") throw new RuntimeError("Timeout has already been entered");
    const task = currentTask();
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this._state = "active";
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
    return this;
  }

  /**
   * Mirrors `Timeout.__aexit__`: end the timeout. Call with no argument when the guarded code
   * completed, or with the value it threw. Throws `TimeoutError` (its `cause`: the
   * `CancelledError`) when this timeout expired and no other cancellation is pending; otherwise
   * returns, and the caller rethrows its error. Python asserts the state here; this throws
   * `RuntimeError` instead.
   */
  exit(...error: [] | [error: unknown]): void {
    const state = this._state;
    if (state !== "active" && state !== "expiring") {
      throw new RuntimeError(
        state === "created" ? "Timeout has not been entered" : "Timeout has already been exited",
      );
    }

    if (this._timeoutHandler !== null) {
      this._timeoutHandler.cancel();
      this._timeoutHandler = null;
    }

    if (state === "expiring") {
      this._state = "expired";
      if (this._task!.uncancel() <= this._cancelling && error.length > 0) {
        // No new cancel requests since entering: the cancellation is ours to handle.
        const exc = error[0];
        if (exc instanceof CancelledError) throw new TimeoutError(undefined, { cause: exc });
        insertTimeoutError(exc);
        if (exc instanceof ExceptionGroup) for (const e of exc.exceptions) insertTimeoutError(e);
      }
    } else {
      this._state = "finished";
    }
  }

  /**
   * Mirrors `Timeout.__aenter__`: {@link enter}, as a coroutine, for `asyncWith`; gives the
   * timeout itself to the body (`async with asyncio.timeout(2) as cm:`).
   * @example
   * import { asyncWith, getRunningLoop, run, TimeoutError } from "@asyncio-ts/core";
   * import { sleep, Timeout } from "@asyncio-ts/time";
   * await run((function* () {
   *   const cm = new Timeout(getRunningLoop().time() + 0.01);
   *   try {
   *     yield* asyncWith(cm, function* () {
   *       yield* sleep(1);
   *     });
   *   } catch (e) {
   *     console.log(e instanceof TimeoutError, cm.expired()); // true true
   *   }
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__aenter__` here awaits nothing.
  *aenter(): Coroutine<this> {
    return this.enter();
  }

  /**
   * Mirrors `Timeout.__aexit__`: {@link exit} as a coroutine, for `asyncWith`: `exc` is what the
   * body threw (`null`: it finished). Raises `TimeoutError` when this timeout expired; never
   * suppresses an error.
   * @example
   * import { asyncWith, getRunningLoop, run } from "@asyncio-ts/core";
   * import { sleep, Timeout } from "@asyncio-ts/time";
   * await run((function* () {
   *   const v = yield* asyncWith(new Timeout(getRunningLoop().time() + 1), function* (cm) {
   *     cm.reschedule(null); // no deadline any more
   *     return yield* sleep(2, "in time");
   *   });
   *   console.log(v); // in time
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__aexit__` here awaits nothing.
  *aexit(exc: unknown): Coroutine<undefined> {
    if (exc === null) this.exit();
    else this.exit(exc);
    return undefined;
  }

  /** Python's `repr()`: `<Timeout [active] when=12.5>`. */
  toString(): string {
    let info = "";
    if (this._state === "active") {
      const w = this._when;
      info = ` when=${w === null ? "None" : pyFloat(Math.round(w * 1000) / 1000)}`;
    }
    return `<Timeout [${this._state}]${info}>`;
  }

  private readonly _onTimeout = (): void => {
    this._task!.cancel();
    this._state = "expiring";
    this._timeoutHandler = null;
  };
}

/** `async with cm: return await body(cm)`, closing the scope on every way out. */
function* scope<T>(cm: Timeout, body: (cm: Timeout) => Coroutine<T>, fn: string): Coroutine<T> {
  cm.enter();
  let result: T;
  // Still true in `finally` only when the generator was closed with `return()` mid-body.
  let closing = true;
  try {
    const coro = body(cm);
    if (!isAwaitable(coro)) throw badBodyResult(coro, fn);
    result = yield* coro;
    closing = false;
  } catch (e) {
    closing = false;
    cm.exit(e);
    throw e;
  } finally {
    if (closing) cm.exit();
  }
  cm.exit();
  return result;
}

/**
 * Mirrors `asyncio.timeout(delay)` (`async with asyncio.timeout(delay):`): run `body` and raise
 * `TimeoutError` if it outlives `delay` seconds (`null`: no deadline).
 * @example
 * import { TimeoutError, run } from "@asyncio-ts/core";
 * import { sleep, timeout } from "@asyncio-ts/time";
 * await run((function* () {
 *   try {
 *     yield* timeout(0.01, function* () {
 *       yield* sleep(1);
 *     });
 *   } catch (e) {
 *     console.log(e instanceof TimeoutError); // true
 *   }
 * })());
 */
export function* timeout<T>(
  delay: number | null,
  body: (cm: Timeout) => Coroutine<T>,
): Coroutine<T> {
  const loop = getRunningLoop();
  checkOptionalSeconds(delay, "delay");
  checkBody(body, "timeout");
  return yield* scope(new Timeout(delay == null ? null : loop.time() + delay), body, "timeout");
}

/**
 * Mirrors `asyncio.timeout_at(when)`: like {@link timeout} with an absolute deadline on the
 * `loop.time()` clock (`null`: no deadline).
 * @example
 * import { getRunningLoop, run } from "@asyncio-ts/core";
 * import { sleep, timeoutAt } from "@asyncio-ts/time";
 * await run((function* () {
 *   const deadline = getRunningLoop().time() + 1;
 *   const v = yield* timeoutAt(deadline, function* () {
 *     return yield* sleep(0.01, "in time");
 *   });
 *   console.log(v); // in time
 * })());
 */
export function* timeoutAt<T>(
  when: number | null,
  body: (cm: Timeout) => Coroutine<T>,
): Coroutine<T> {
  checkOptionalSeconds(when, "when");
  checkBody(body, "timeoutAt");
  return yield* scope(new Timeout(when), body, "timeoutAt");
}
