import { Queue } from "./queue.js";

/**
 * Mirrors `asyncio.LifoQueue(maxsize=0)`: a {@link Queue} that returns the most recently added
 * item first (a stack).
 * @example
 * import { LifoQueue } from "@asyncio-ts/sync";
 * const q = new LifoQueue<string>();
 * q.putNowait("first");
 * q.putNowait("last");
 * console.log(q.getNowait()); // last
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** @internal */
  override _init(_maxsize: number): void {
    this._queue = [] as T[];
  }

  /** @internal */
  override _put(item: T): void {
    (this._queue as T[]).push(item);
  }

  /** @internal */
  override _get(): T {
    return (this._queue as T[]).pop() as T;
  }

  /** @internal */
  override _items(): unknown[] {
    return (this._queue as T[]).slice();
  }
}
