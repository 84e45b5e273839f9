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
import { _awaitFrom } from "./async-with.js";
import { RuntimeError, StopAsyncIteration } from "./errors.js";
import type { Future } from "./future.js";
import { chainError } from "./internal/chain.js";
import { badBodyResult, checkBody, isAwaitable, isPromiseLike } from "./shared.js";
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
        yield* _awaitFrom(it.aclose!(), "asyncFor", "aclose()");
      } catch (raised) {
        chainError(raised, e);
        throw raised;
      }
    }
    throw e;
  }
  if (typeof it.aclose === "function") yield* _awaitFrom(it.aclose!(), "asyncFor", "aclose()");
  return finished;
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

// What `drain()` and `settle()` stopped for.
const ENDED = 0;
const BROKE = 1;
const PRODUCER_AWAITS = 2;
const BODY_AWAITS = 3;
const GO_ON = 4;

/**
 * The loop above for an async generator, doing what each `anext()` operation does (see
 * AGenOp) without an operation object per item. While `asyncFor` steps the generator, its
 * `emit` calls the loop body directly (see `AGenState._push`): an item whose body awaits
 * nothing costs no suspension at all, and the order of events is the same as suspending at
 * each emit. The body's result or error is acted on here, in the loop's frame, so the
 * generator never sees it; it is then paused at that emit, as Python's would be.
 */
function* generatorLoop<T>(s: AGenState, body: (item: T) => unknown): Coroutine<boolean> {
  s._firstIter();
  const push = body as (item: unknown) => unknown;
  const out: { awaited: unknown } = { awaited: undefined };
  for (;;) {
    const stop = drain(s, push, out);
    if (stop === ENDED) return true;
    if (stop === BROKE) return false;
    if (stop === BODY_AWAITS) {
      if ((yield* out.awaited as Coroutine<unknown>) === BREAK) return false;
      continue;
    }
    // The generator awaits: its awaits pass through to the task, as `yield*` would pass them.
    let r: IteratorResult<unknown, unknown>;
    try {
      r = yield* passAwait(s, push, out.awaited as Future<unknown> | undefined);
      while (!r.done && r.value !== s) r = yield* passAwait(s, push, r.value as Future<unknown>);
    } catch (e) {
      throw _failed(s, e);
    }
    if (r.value !== s) {
      s._finish();
      return true;
    }
    const settled = settle(s, out);
    if (settled === BROKE) return false;
    if (settled === BODY_AWAITS && (yield* out.awaited as Coroutine<unknown>) === BREAK) {
      return false;
    }
  }
}

/**
 * Steps the generator (its emits running the loop body) until it awaits (what it awaits goes
 * to `out`), ends, or an item's body breaks, awaits or throws.
 */
function drain(s: AGenState, push: (item: unknown) => unknown, out: { awaited: unknown }): number {
  for (;;) {
    if (s._status === CLOSED) return ENDED;
    if (s._status === RUNNING) {
      throw new RuntimeError("anext(): asynchronous generator is already running");
    }
    const gen = s._gen!;
    const started = s._status === SUSPENDED;
    s._status = RUNNING;
    let r: IteratorResult<unknown, unknown>;
    s._push = push;
    try {
      r = started ? gen.next(RESUME as never) : gen.next();
    } catch (e) {
      throw _failed(s, e);
    } finally {
      s._push = null;
    }
    if (r.value !== s) {
      if (r.done) {
        s._finish();
        return ENDED;
      }
      out.awaited = r.value;
      return PRODUCER_AWAITS;
    }
    const settled = settle(s, out);
    if (settled !== GO_ON) return settled;
  }
}

/** The generator paused at an emit whose loop body gave something to act on, or threw. */
function settle(s: AGenState, out: { awaited: unknown }): number {
  s._status = SUSPENDED;
  const done = s._pushed;
  s._pushed = undefined;
  if (s._pushFailed) {
    s._pushFailed = false;
    throw done;
  }
  if (done === BREAK) return BROKE;
  if (isAwaitable(done)) {
    out.awaited = done;
    return BODY_AWAITS;
  }
  if (isPromiseLike(done)) throw badBodyResult(done, "asyncFor");
  return GO_ON;
}

/** Awaits what the generator yielded and resumes it with the outcome (emits pushing). */
function* passAwait(
  s: AGenState,
  push: (item: unknown) => unknown,
  awaited: Future<unknown> | undefined,
): Coroutine<IteratorResult<unknown, unknown>> {
  let sent: unknown;
  let failed = false;
  try {
    sent = yield awaited;
  } catch (e) {
    sent = e;
    failed = true;
  }
  const gen = s._gen!;
  s._push = push;
  try {
    return failed ? gen.throw(sent) : gen.next(sent);
  } finally {
    s._push = null;
  }
}
