// CPython's heapq (`_heapqmodule.c`), ported step for step: which of two equal-priority items
// comes out first depends on the exact sequence of comparisons, and a PriorityQueue here must pop
// ties in CPython's order. Like the C code it swaps instead of holding the item aside, so a
// comparison that throws leaves every item in the heap (except the one heappop was returning).

/** `lt(a, b)` is Python's `a < b`, the only comparison heapq makes. */
export type Less<T> = (a: T, b: T) => boolean;

/** Mirrors `heapq.heappush(heap, item)`. */
export function heappush<T>(heap: T[], item: T, lt: Less<T>): void {
  heap.push(item);
  siftdown(heap, 0, heap.length - 1, lt);
}

/** Mirrors `heapq.heappop(heap)`; `heap` must not be empty. */
export function heappop<T>(heap: T[], lt: Less<T>): T {
  const last = heap.pop() as T;
  if (heap.length === 0) return last;
  const ret = heap[0] as T;
  heap[0] = last;
  siftup(heap, 0, lt);
  return ret;
}

function siftdown<T>(heap: T[], startpos: number, pos: number, lt: Less<T>): void {
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parent = heap[parentpos] as T;
    const item = heap[pos] as T;
    if (!lt(item, parent)) break;
    heap[parentpos] = item;
    heap[pos] = parent;
    pos = parentpos;
  }
}

function siftup<T>(heap: T[], pos: number, lt: Less<T>): void {
  const endpos = heap.length;
  const startpos = pos;
  const limit = endpos >> 1;
  while (pos < limit) {
    let childpos = 2 * pos + 1;
    if (childpos + 1 < endpos && !lt(heap[childpos] as T, heap[childpos + 1] as T)) childpos += 1;
    const child = heap[childpos] as T;
    heap[childpos] = heap[pos] as T;
    heap[pos] = child;
    pos = childpos;
  }
  siftdown(heap, startpos, pos, lt);
}
