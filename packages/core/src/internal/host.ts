// The default loop is a guest on the host's own event loop; these are the only places that touch
// host scheduling, so the package runs unchanged in Node, Deno, Bun and browsers.

type AnyFn = () => void;
const g = globalThis as unknown as {
  setImmediate?: (fn: AnyFn) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: ((ev: unknown) => void) | null; unref?: () => void };
    port2: { postMessage(v: unknown): void; unref?: () => void };
  };
  setTimeout: (fn: AnyFn, ms: number) => unknown;
  clearTimeout: (h: unknown) => void;
  performance?: { now(): number };
};

/** Monotonic milliseconds. */
export const hostNowMs: () => number =
  g.performance && typeof g.performance.now === "function"
    ? () => g.performance!.now()
    : () => Date.now();

/** Queue `fn` as a host macrotask, after pending I/O and promise jobs get a turn. */
export function makeMacrotaskScheduler(fn: AnyFn): AnyFn {
  if (typeof g.setImmediate === "function") {
    const si = g.setImmediate;
    return () => {
      si(fn);
    };
  }
  if (typeof g.MessageChannel === "function") {
    const ch = new g.MessageChannel();
    ch.port1.onmessage = () => fn();
    return () => ch.port2.postMessage(null);
  }
  return () => {
    g.setTimeout(fn, 0);
  };
}

// Host timers cap at 2^31-1 ms; Python's loop caps its select timeout at one day too.
const MAX_HOST_DELAY_MS = 24 * 3600 * 1000;

export function setHostTimer(fn: AnyFn, ms: number): unknown {
  return g.setTimeout(fn, Math.min(Math.max(ms, 0), MAX_HOST_DELAY_MS));
}

export function clearHostTimer(h: unknown): void {
  g.clearTimeout(h);
}
