import {
  _failed,
  AGenerator,
  type AGenState,
  CLOSED,
  RESUME,
  RUNNING,
  SUSPENDED,
} from "./async-generator.js";
import { _aiter, _notAwaitableNext, type AIterable, type AIterator } from "./async-iterator.js";
import { RuntimeError, StopAsyncIteration } from "./errors.js";
import type { Future } from "./future.js";
import { chainError } from "./internal/chain.js";
import { badBodyResult, checkBody, describeValue, isAwaitable, isPromiseLike } from "./shared.js";
import type { Coroutine } from "./types.js";

/**
 * What an {@link asyncFor} body returns to leave the loop: Python's `break`.
 * @example
 * import { asyncFor, asyncGenerator, BREAK, run } from "@asyncio-ts/core";
 * const naturals = asyncGenerator(function* (emit) {
 *   for (let i = 0; ; i++) yield* emit(i);
 * });
 * await run((function* () {
 *   yield* asyncFor(naturals(), function* (i) {
 *     if (i === 2) return BREAK;
 *     console.log(i); // 0, 1
 *   });
 * })());
 */
export const BREAK: unique symbol = Symbol("BREAK");

/**
 * Mirrors `async for item in source: body` inside `async with contextlib.aclosing(...)`: runs
 * `body(item)` for each item, in order; the body's `return` is `continue` and `return BREAK` is
 * `break`. However the loop ends (the end, `BREAK`, an error or a cancellation in the body),
 * the iterator's `aclose()` is awaited if it has one, so an async generator's `finally` runs
 * at once; Python leaves that to the garbage collector unless `aclosing` is used. An error
 * from `aclose()` replaces the loop's, which becomes its `cause`. Gives `true` when the
 * iterator ran out (Python's `else:` clause would run), `false` after `BREAK`. A body that
 * never awaits may be a plain function (it then costs no coroutine per item); an `async`
 * function is refused with a `TypeError`, as its Promise cannot be awaited here.
 * @example
 * import { asyncFor, asyncGenerator, run } from "@asyncio-ts/core";
 * const letters = asyncGenerator(function* (emit) {
 *   yield* emit("a");
 *   yield* emit("b");
 * });
 * await run((function* () {
 *   const finished = yield* asyncFor(letters(), function* (s) {
 *     console.log(s); // a, b
 *   });
 *   console.log(finished); // true
 * })());
 */
export function asyncFor<T>(
  source: AIterable<T> | AIterator<T>,
  body: (item: T) => unknown,
): Coroutine<boolean> {
  const it = _aiter(source, "source");
  checkBody(body, "asyncFor");
  return loop(it, body);
}

function* loop<T>(it: AIterator<T>, body: (item: T) => unknown): Coroutine<boolean> {
  let finished: boolean;
  try {
    finished = yield* iterate(it, body);
  } catch (e) {
    if (typeof it.aclose === "function") {
      try {
        yield* close(it);
      } catch (raised) {
        chainError(raised, e);
        throw raised;
      }
    }
    throw e;
  }
  if (typeof it.aclose === "function") yield* close(it);
  return finished;
}

function* close(it: AIterator<unknown>): Coroutine<unknown> {
  const closing = it.aclose!();
  if (!isAwaitable(closing)) {
    throw new TypeError(
      `aclose() of \`${describeValue(it)}\` returned \`${describeValue(closing)}\`, which is not awaitable`,
    );
  }
  return yield* closing;
}

function* iterate<T>(it: AIterator<T>, body: (item: T) => unknown): Coroutine<boolean> {
  if (it instanceof AGenerator) return yield* generatorLoop(it._state, body);
  for (;;) {
    const next = it.anext();
    if (!isAwaitable(next)) throw _notAwaitableNext(it, next);
    let r: IteratorResult<T>;
    try {
      r = yield* next;
    } catch (e) {
      if (e instanceof StopAsyncIteration) return true;
      throw e;
    }
    if (r.done) return true;
    const done = body(r.value);
    if (isAwaitable(done)) {
      if ((yield* done as Coroutine<unknown>) === BREAK) return false;
    } else if (done === BREAK) {
      return false;
    } else if (isPromiseLike(done)) {
      throw badBodyResult(done, "asyncFor");
    }
  }
}

/**
 * The loop above for an async generator, doing what each `anext()` operation does (see
 * AGenOp) without an operation object per item: a million-item loop is measurably faster.
 */
function* generatorLoop<T>(s: AGenState, body: (item: T) => unknown): Coroutine<boolean> {
  if (s._owner !== null && s._status !== RUNNING) {
    s._firstIter();
    s._owner = null;
  }
  for (;;) {
    if (s._status === CLOSED) return true;
    if (s._status === RUNNING) {
      throw new RuntimeError("anext(): asynchronous generator is already running");
    }
    const gen = s._gen!;
    const started = s._status === SUSPENDED;
    s._status = RUNNING;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = started ? gen.next(RESUME as never) : gen.next();
      // The body's own awaits pass through to the task, as `yield*` would pass them.
      while (!r.done && r.value !== s) r = yield* passAwait(gen, r.value as Future<unknown>);
    } catch (e) {
      throw _failed(s, e);
    }
    if (r.done) {
      s._finish();
      return true;
    }
    s._status = SUSPENDED;
    const value = s._value as T;
    s._value = undefined;
    const done = body(value);
    if (done === undefined) continue;
    if (isAwaitable(done)) {
      if ((yield* done as Coroutine<unknown>) === BREAK) return false;
    } else if (done === BREAK) {
      return false;
    } else if (isPromiseLike(done)) {
      throw badBodyResult(done, "asyncFor");
    }
  }
}

/** Awaits what the body yielded and resumes the body with the outcome. */
function* passAwait(
  gen: Coroutine<void>,
  awaited: Future<unknown> | undefined,
): Coroutine<IteratorResult<unknown, unknown>> {
  let sent: unknown;
  try {
    sent = yield awaited;
  } catch (e) {
    return gen.throw(e);
  }
  return gen.next(sent);
}
