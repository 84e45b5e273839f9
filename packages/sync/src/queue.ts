import type { AIterator, Coroutine, Future } from "@asyncio-ts/core";
import { QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
import { Event } from "./event.js";
import { Deque } from "./internal/deque.js";
import { LoopBound } from "./internal/loop-bound.js";
import { checkNumber, pyRepr } from "./internal/validate.js";

/** The storage a queue keeps its items in (subclasses choose it in `_init`). */
interface Storage {
  readonly length: number;
}

/**
 * Mirrors `asyncio.Queue(maxsize=0)`: a FIFO queue for coordinating producer and consumer tasks.
 * With `maxsize <= 0` it is unbounded; otherwise `put()` waits while it holds `maxsize` items.
 * Blocked `get()`/`put()` calls are served in the order they started waiting. `taskDone()` and
 * `join()` track the processing of items, and `shutdown()` (Python 3.13) ends the queue.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { Queue, QueueShutDown } from "@asyncio-ts/sync";
 * const q = new Queue<number>(2);
 * function* producer() {
 *   for (let i = 0; i < 5; i++) yield* q.put(i);
 *   q.shutdown();
 * }
 * function* consumer() {
 *   const got: number[] = [];
 *   try {
 *     for (;;) got.push(yield* q.get());
 *   } catch (e) {
 *     if (!(e instanceof QueueShutDown)) throw e;
 *     return got; // shut down and drained
 *   }
 * }
 * await run((function* () {
 *   createTask(producer());
 *   console.log(yield* createTask(consumer())); // [ 0, 1, 2, 3, 4 ]
 * })());
 */
export class Queue<T = unknown> extends LoopBound {
  /** @internal */ readonly _maxsize: number;
  /** @internal Futures of blocked `get()` calls. */ _getters = new Deque<Future<null>>(4);
  /** @internal Futures of blocked `put()` calls. */ _putters = new Deque<Future<null>>(4);
  /** @internal */ _unfinishedTasks = 0;
  /** @internal */ readonly _finished = new Event();
  /** @internal The items; its type is the subclass's choice. */ _queue!: Storage;
  /** @internal */ _isShutdown = false;

  /** A queue holding at most `maxsize` items (`0`, the default, or less: unbounded). */
  constructor(maxsize: number | null = 0) {
    super();
    maxsize ??= 0;
    checkNumber(maxsize, "maxsize");
    this._maxsize = maxsize;
    this._finished.set();
    this._init(maxsize);
  }

  // The three storage hooks subclasses override, as in CPython.

  /** @internal Mirrors `Queue._init(maxsize)`: create the item storage. */
  _init(_maxsize: number): void {
    this._queue = new Deque<T>(16);
  }

  /** @internal Mirrors `Queue._get()`: remove and return the next item. */
  _get(): T {
    return (this._queue as Deque<T>).shift() as T;
  }

  /** @internal Mirrors `Queue._put(item)`: store an item. */
  _put(item: T): void {
    (this._queue as Deque<T>).push(item);
  }

  /** @internal The items in storage order, for `toString()`. */
  _items(): unknown[] {
    return (this._queue as Deque<T>).toArray();
  }

  /** @internal Mirrors `Queue._wakeup_next(waiters)`: wake the first waiter not yet done. */
  _wakeupNext(waiters: Deque<Future<null>>): void {
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (!waiter.done()) {
        waiter.setResult(null);
        break;
      }
    }
  }

  /** Mirrors `Queue.qsize()`: the number of items in the queue. */
  qsize(): number {
    return this._queue.length;
  }

  /** Mirrors `Queue.maxsize`: the number of items allowed (`<= 0`: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** Mirrors `Queue.empty()`. */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /** Mirrors `Queue.full()`: true if it holds `maxsize` items; never for an unbounded queue. */
  full(): boolean {
    if (this._maxsize <= 0) return false;
    return this.qsize() >= this._maxsize;
  }

  /**
   * Mirrors `Queue.put(item)`: add an item, first waiting (in line) while the queue is full.
   * Throws {@link QueueShutDown} if the queue is shut down, including while waiting.
   */
  put(item: T): Coroutine<void> {
    return new QueuePut(this, item) as unknown as Coroutine<void>;
  }

  /** @internal `put()` as CPython writes it; `QueuePut` runs it once the queue is full. */
  *_putSlow(item: T): Coroutine<void> {
    while (this.full()) {
      if (this._isShutdown) throw new QueueShutDown();
      const putter = this._getLoop().createFuture<null>();
      this._putters.push(putter);
      // CPython's bare `except:` also runs when the coroutine is closed; here that is
      // `return()`, which skips `catch`, hence a flag and `finally`.
      let woken = false;
      try {
        yield* putter;
        woken = true;
      } finally {
        if (!woken) {
          putter.cancel();
          // A `getNowait()` or `shutdown()` may have removed it already.
          this._putters.remove(putter);
          // Woken by `getNowait()` but not taking the slot: hand it to the next in line.
          if (!this.full() && !putter.cancelled()) this._wakeupNext(this._putters);
        }
      }
    }
    this.putNowait(item);
  }

  /**
   * Mirrors `Queue.put_nowait(item)`: add an item without waiting. Throws {@link QueueFull} if
   * the queue is full and {@link QueueShutDown} if it is shut down.
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._put(item);
    this._unfinishedTasks += 1;
    this._finished.clear();
    if (this._getters.length > 0) this._wakeupNext(this._getters);
  }

  /**
   * An async iterator over the items as `get()` returns them, ending when the queue is shut
   * down and drained (where `get()` raises {@link QueueShutDown}): `yield* asyncFor(queue, body)`.
   * Python's Queue has no `__aiter__`; this is the `while True: await q.get()` loop it replaces.
   * `taskDone()` stays the consumer's call, as after `get()`.
   * @example
   * import { asyncFor, createTask, run } from "@asyncio-ts/core";
   * import { Queue } from "@asyncio-ts/sync";
   * const q = new Queue<string>();
   * await run((function* () {
   *   createTask((function* () {
   *     yield* q.put("a");
   *     yield* q.put("b");
   *     q.shutdown();
   *   })());
   *   yield* asyncFor(q, (item) => {
   *     console.log(item); // a, b
   *     q.taskDone();
   *   });
   * })());
   */
  aiter(): AIterator<T, undefined> {
    return { anext: () => this._anext() };
  }

  /** @internal */
  *_anext(): Coroutine<IteratorResult<T, undefined>> {
    try {
      return { done: false, value: yield* this.get() };
    } catch (e) {
      if (e instanceof QueueShutDown) return { done: true, value: undefined };
      throw e;
    }
  }

  /**
   * Mirrors `Queue.get()`: remove and return an item, first waiting (in line) while the queue is
   * empty. Throws {@link QueueShutDown} if the queue is shut down and empty, or was shut down
   * with `immediate`.
   */
  get(): Coroutine<T> {
    return new QueueGet(this) as unknown as Coroutine<T>;
  }

  /** @internal `get()` as CPython writes it; `QueueGet` runs it once the queue is empty. */
  *_getSlow(): Coroutine<T> {
    while (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      const getter = this._getLoop().createFuture<null>();
      this._getters.push(getter);
      let woken = false;
      try {
        yield* getter;
        woken = true;
      } finally {
        if (!woken) {
          getter.cancel();
          // A `putNowait()` or `shutdown()` may have removed it already.
          this._getters.remove(getter);
          // Woken by `putNowait()` but not taking the item: hand it to the next in line.
          if (!this.empty() && !getter.cancelled()) this._wakeupNext(this._getters);
        }
      }
    }
    return this.getNowait();
  }

  /**
   * Mirrors `Queue.get_nowait()`: remove and return an item without waiting. Throws
   * {@link QueueEmpty} if the queue is empty, or {@link QueueShutDown} if it is also shut down.
   */
  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this._get();
    if (this._putters.length > 0) this._wakeupNext(this._putters);
    return item;
  }

  /**
   * Mirrors `Queue.task_done()`: mark one fetched item as processed; `join()` returns once every
   * item put has been. Throws `RangeError('task_done() called too many times')`.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new RangeError("task_done() called too many times");
    this._unfinishedTasks -= 1;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /** Mirrors `Queue.join()`: wait until every item put has been marked done by `taskDone()`. */
  *join(): Coroutine<void> {
    if (this._unfinishedTasks > 0) yield* this._finished.wait();
  }

  /**
   * Mirrors `Queue.shutdown(immediate=False)` (Python 3.13): later puts throw
   * {@link QueueShutDown}, and gets throw it once the queue is empty. Blocked `put()` and `get()`
   * calls wake up to re-check. With `immediate`, the remaining items are discarded (each counted
   * as done, which may release `join()`), so gets throw at once.
   */
  shutdown(immediate: boolean | null = false): void {
    this._isShutdown = true;
    if (immediate) {
      while (!this.empty()) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks -= 1;
      }
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every getter must re-check, to throw QueueShutDown if the queue is empty.
    while (this._getters.length > 0) {
      const getter = this._getters.shift()!;
      if (!getter.done()) getter.setResult(null);
    }
    while (this._putters.length > 0) {
      const putter = this._putters.shift()!;
      if (!putter.done()) putter.setResult(null);
    }
  }

  /** Python's `str()`: `<Queue maxsize=2 _queue=[1, 2] _getters[1] tasks=2 shutdown>`. */
  override toString(): string {
    let result = `<${this.constructor.name} maxsize=${this._maxsize}`;
    if (this._queue.length > 0) result += ` _queue=${pyRepr(this._items())}`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks) result += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) result += " shutdown";
    return `${result}>`;
  }
}

// `yield* q.get()` / `yield* q.put(x)` move most items without waiting. A generator object per
// call costs a third of the queue's throughput, so these coroutines do the first step by hand
// (exactly the CPython loop's first test) and only make the generator when they must wait.
// Like a coroutine, nothing happens until the first `next()`.

const START = 0;
const SLOW = 1;
const DONE = 2;

class QueueGet<T> {
  private _step = START;
  private _slow: Coroutine<T> | null = null;
  constructor(private readonly _q: Queue<T>) {}

  next(): IteratorResult<Future<unknown> | undefined, T> {
    if (this._step === SLOW) return this._slow!.next();
    if (this._step === DONE) return { value: undefined as T, done: true };
    const q = this._q;
    if (!q.empty()) {
      this._step = DONE;
      return { value: q.getNowait(), done: true };
    }
    this._step = SLOW;
    this._slow = q._getSlow();
    return this._slow.next();
  }

  throw(e: unknown): IteratorResult<Future<unknown> | undefined, T> {
    if (this._step === SLOW) return this._slow!.throw(e);
    this._step = DONE;
    throw e;
  }

  return(value: T): IteratorResult<Future<unknown> | undefined, T> {
    if (this._step === SLOW) return this._slow!.return(value);
    this._step = DONE;
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

class QueuePut<T> {
  private _step = START;
  private _slow: Coroutine<void> | null = null;
  constructor(
    private readonly _q: Queue<T>,
    private _item: T,
  ) {}

  next(): IteratorResult<Future<unknown> | undefined, void> {
    if (this._step === SLOW) return this._slow!.next();
    if (this._step === DONE) return { value: undefined, done: true };
    const q = this._q;
    const item = this._item;
    this._item = undefined as T;
    if (!q.full()) {
      this._step = DONE;
      q.putNowait(item);
      return { value: undefined, done: true };
    }
    this._step = SLOW;
    this._slow = q._putSlow(item);
    return this._slow.next();
  }

  throw(e: unknown): IteratorResult<Future<unknown> | undefined, void> {
    if (this._step === SLOW) return this._slow!.throw(e);
    this._step = DONE;
    throw e;
  }

  return(value: undefined): IteratorResult<Future<unknown> | undefined, void> {
    if (this._step === SLOW) return this._slow!.return(value);
    this._step = DONE;
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
