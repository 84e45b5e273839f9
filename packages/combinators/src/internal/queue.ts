import {
  type AbstractEventLoop,
  type Coroutine,
  type Future,
  getRunningLoop,
  RuntimeError,
} from "@asyncio-ts/core";

/**
 * The part of Python's unbounded `asyncio.Queue` that `as_completed` uses (`get()` and
 * `put_nowait()`), with its wake-up order: `put_nowait` wakes the oldest waiting getter, which
 * re-checks the queue when it runs. The package depends on core only, hence this copy.
 */
export class WakeupQueue<T> {
  private readonly _items: T[] = [];
  private _head = 0;
  private readonly _getters: Future<void>[] = [];
  private _loop: AbstractEventLoop | null = null;

  empty(): boolean {
    return this._head === this._items.length;
  }

  /** Mirrors `Queue.put_nowait(item)`. */
  putNowait(item: T): void {
    this._items.push(item);
    this._wakeupNext();
  }

  /** Mirrors `Queue.get_nowait()` (only when not empty). */
  getNowait(): T {
    const items = this._items;
    const item = items[this._head]!;
    this._head += 1;
    if (this._head === items.length) {
      items.length = 0;
      this._head = 0;
    } else {
      items[this._head - 1] = undefined as T;
    }
    return item;
  }

  /** Mirrors `Queue.get()`. */
  *get(): Coroutine<T> {
    while (this.empty()) {
      const getter = this._getLoop().createFuture<void>();
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel(); // Just in case getter is not done yet.
        const i = this._getters.indexOf(getter);
        if (i >= 0) this._getters.splice(i, 1);
        if (!this.empty() && !getter.cancelled()) this._wakeupNext();
        throw e;
      }
    }
    return this.getNowait();
  }

  private _wakeupNext(): void {
    const getters = this._getters;
    while (getters.length > 0) {
      const waiter = getters.shift()!;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        break;
      }
    }
  }

  /** Python's `_LoopBoundMixin._get_loop`. */
  private _getLoop(): AbstractEventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    if (loop !== this._loop)
      throw new RuntimeError(`${this.toString()} is bound to a different event loop`);
    return loop;
  }

  toString(): string {
    return `<Queue maxsize=0>`;
  }
}
