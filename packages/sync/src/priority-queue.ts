import { pyLess } from "./internal/compare.js";
import { heappop, heappush, type Less } from "./internal/heap.js";
import { describeValue } from "./internal/validate.js";
import { Queue } from "./queue.js";

/**
 * Mirrors `asyncio.PriorityQueue(maxsize=0)`: a {@link Queue} that returns the smallest item
 * first, kept as a binary heap exactly like Python's `heapq` (so equal items come out in the
 * same order as in CPython). Items compare as Python's `<` does: numbers, strings (by code
 * point) and arrays compared element by element like Python tuples, e.g. `[priority, data]`;
 * other values throw `TypeError("'<' not supported between instances of ...")`. The option
 * `{ compare }` (a sort comparator: negative when `a` comes first) replaces that comparison.
 * @example
 * import { PriorityQueue } from "@asyncio-ts/sync";
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "write"]);
 * q.putNowait([1, "read"]);
 * console.log(q.getNowait()); // [ 1, 'read' ]
 * const byLength = new PriorityQueue<string>(0, { compare: (a, b) => a.length - b.length });
 * byLength.putNowait("ccc");
 * byLength.putNowait("a");
 * console.log(byLength.getNowait()); // a
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** @internal Python's `<` on items, or the `compare` option's. */ readonly _lt: Less<T>;

  /**
   * A priority queue holding at most `maxsize` items (`0`, the default, or less: unbounded),
   * ordered by Python's `<` or by `options.compare`.
   */
  constructor(maxsize: number | null = 0, options?: { compare?: ((a: T, b: T) => number) | null }) {
    super(maxsize);
    const compare = options?.compare;
    if (compare == null) this._lt = pyLess;
    else if (typeof compare !== "function") {
      throw new TypeError(
        `Expected \`compare\` to be a function, got \`${describeValue(compare)}\` (${typeof compare})`,
      );
    } else this._lt = (a, b) => compare(a, b) < 0;
  }

  /** @internal */
  override _init(_maxsize: number): void {
    this._queue = [] as T[];
  }

  /** @internal */
  override _put(item: T): void {
    heappush(this._queue as T[], item, this._lt);
  }

  /** @internal */
  override _get(): T {
    return heappop(this._queue as T[], this._lt);
  }

  /** @internal */
  override _items(): unknown[] {
    return (this._queue as T[]).slice();
  }
}
