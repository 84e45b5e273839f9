/**
 * Mirrors `asyncio.QueueEmpty`: `getNowait()` on an empty queue. The message is empty, as
 * CPython raises the bare class.
 * @example
 * import { Queue, QueueEmpty } from "@asyncio-ts/sync";
 * try {
 *   new Queue<number>().getNowait();
 * } catch (e) {
 *   console.log(e instanceof QueueEmpty); // true
 * }
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
}

/**
 * Mirrors `asyncio.QueueFull`: `putNowait()` on a full queue. The message is empty, as CPython
 * raises the bare class.
 * @example
 * import { Queue, QueueFull } from "@asyncio-ts/sync";
 * const q = new Queue<number>(1);
 * q.putNowait(1);
 * try {
 *   q.putNowait(2);
 * } catch (e) {
 *   console.log(e instanceof QueueFull); // true
 * }
 */
export class QueueFull extends Error {
  override name = "QueueFull";
}

/**
 * Mirrors `asyncio.QueueShutDown` (3.13): putting on a shut-down queue, or getting from one that
 * is shut down and empty (or was shut down with `immediate`). The message is empty.
 * @example
 * import { Queue, QueueShutDown } from "@asyncio-ts/sync";
 * const q = new Queue<number>();
 * q.shutdown();
 * try {
 *   q.putNowait(1);
 * } catch (e) {
 *   console.log(e instanceof QueueShutDown); // true
 * }
 */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
}

/**
 * Mirrors `asyncio.BrokenBarrierError`: raised by `Barrier.wait()` when the barrier is aborted
 * (`"Barrier aborted"`) or reset or aborted while the task waits (`"Abort or reset of barrier"`).
 * @example
 * import { BrokenBarrierError } from "@asyncio-ts/sync";
 * console.log(new BrokenBarrierError("Barrier aborted").name); // BrokenBarrierError
 */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
}
