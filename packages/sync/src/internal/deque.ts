/**
 * A ring-buffer double-ended queue: Python's `collections.deque` for the waiters and items of the
 * primitives. `push`/`shift`/`pop` are O(1) amortized; `Array.prototype.shift` is O(n) on large
 * arrays, which a queue moving a million items cannot afford.
 */
export class Deque<T> {
  private _buf: (T | undefined)[];
  private _head = 0;
  private _mask: number;
  /** The number of items. */
  length = 0;

  /** `capacity` must be a power of two. */
  constructor(capacity = 8) {
    this._buf = packed<T>(capacity);
    this._mask = capacity - 1;
  }

  /** Python's `append`. */
  push(x: T): void {
    const n = this.length;
    if (n === this._buf.length) this._grow();
    this._buf[(this._head + n) & this._mask] = x;
    this.length = n + 1;
  }

  /** Python's `popleft`, without the error: `undefined` when empty. */
  shift(): T | undefined {
    const n = this.length;
    if (n === 0) return undefined;
    const h = this._head;
    const x = this._buf[h];
    this._buf[h] = undefined;
    this._head = (h + 1) & this._mask;
    this.length = n - 1;
    return x;
  }

  /** Python's `pop`, without the error: `undefined` when empty. */
  pop(): T | undefined {
    const n = this.length - 1;
    if (n < 0) return undefined;
    const i = (this._head + n) & this._mask;
    const x = this._buf[i];
    this._buf[i] = undefined;
    this.length = n;
    return x;
  }

  /** The item at `i` (0 is the front); `i` must be in range. */
  at(i: number): T {
    return this._buf[(this._head + i) & this._mask] as T;
  }

  /**
   * Python's `remove`: drops the first occurrence of `x` and returns true, or returns false when
   * it is not there. Removing from the front (the usual case for waiters) is O(1).
   */
  remove(x: T): boolean {
    const n = this.length;
    const buf = this._buf;
    const mask = this._mask;
    const h = this._head;
    for (let i = 0; i < n; i++) {
      if (buf[(h + i) & mask] === x) {
        // Close the gap from the nearer end.
        if (i < n - 1 - i) {
          for (let j = i; j > 0; j--) buf[(h + j) & mask] = buf[(h + j - 1) & mask];
          buf[h] = undefined;
          this._head = (h + 1) & mask;
        } else {
          for (let j = i; j < n - 1; j++) buf[(h + j) & mask] = buf[(h + j + 1) & mask];
          buf[(h + n - 1) & mask] = undefined;
        }
        this.length = n - 1;
        return true;
      }
    }
    return false;
  }

  /** The items, front first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  private _grow(): void {
    const n = this.length;
    const next = packed<T>(this._buf.length * 2);
    for (let i = 0; i < n; i++) next[i] = this._buf[(this._head + i) & this._mask];
    this._buf = next;
    this._head = 0;
    this._mask = next.length - 1;
  }
}

/** An array of `undefined`s built by pushing, so V8 keeps it packed (`new Array(n)` is holey). */
function packed<T>(n: number): (T | undefined)[] {
  const a: (T | undefined)[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}
