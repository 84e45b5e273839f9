import {
  type AbstractEventLoop,
  type AsyncContextManager,
  type BaseEventLoop,
  CancelledError,
  type Context,
  type Coroutine,
  currentTask,
  ExceptionGroup,
  type Future,
  getRunningLoop,
  RuntimeError,
  Task,
} from "@asyncio-ts/core";
import { _addAwaitedBy, _discardAwaitedBy } from "@asyncio-ts/core/shared";
import { isFailed } from "./internal/futures.js";
import { badBodyResult, checkBody, isAwaitable, isCoroutine } from "./internal/validate.js";

/**
 * Mirrors `TaskGroup.create_task`'s keyword arguments `name=` and `context=`.
 * @example
 * import type { TaskGroupCreateTaskOptions } from "@asyncio-ts/combinators";
 * const options: TaskGroupCreateTaskOptions = { name: "worker" };
 */
export interface TaskGroupCreateTaskOptions {
  /** The task's name (`getName()`); default `Task-N`. */
  name?: string | null;
  /** The context the task runs in; default a copy of the current one. */
  context?: Context | null;
}

/**
 * Mirrors `asyncio.TaskGroup`: tasks whose lifetime is a scope. The scope waits for all of them;
 * the first one that fails cancels the others and the scope's own body, and the scope then
 * raises `ExceptionGroup("unhandled errors in a TaskGroup", errors)`. Use it through
 * {@link taskGroup}, which is Python's `async with asyncio.TaskGroup() as tg:`, or, the same, as an
 * asynchronous context manager: `yield* asyncWith(new TaskGroup(), function* (tg) { ... })`.
 *
 * Low-level use (the `async with` spelled out): inside a task, `tg.enter()`; then, when the
 * guarded code completes, `yield* tg.exit()`, or when it throws `e`, `yield* tg.exit(e)` and
 * rethrow `e` if that returns. `exit` throws the `ExceptionGroup` (or the `CancelledError`) that
 * replaces `e`.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { TaskGroup } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const tg = new TaskGroup().enter();
 *   try {
 *     tg.createTask(sleep(0.01));
 *   } catch (e) {
 *     yield* tg.exit(e);
 *     throw e;
 *   }
 *   yield* tg.exit();
 *   console.log(String(tg)); // <TaskGroup entered>
 * })());
 */
export class TaskGroup implements AsyncContextManager<TaskGroup, false> {
  private _entered = false;
  private _exiting = false;
  private _exited = false;
  private _aborting = false;
  private _loop: AbstractEventLoop | null = null;
  private _parentTask: Task<unknown> | null = null;
  private _parentCancelRequested = false;
  /**
   * Python's `_tasks` set, as a list and a count: the tasks of the group in creation order, some of
   * them possibly done already (a set costs a hash entry per task). `_live` counts those whose
   * done-callback has not run yet, which is what the set holds.
   */
  private _tasks: Task<unknown>[] = [];
  private _live = 0;
  private _errors: unknown[] | null = [];
  private _onCompletedFut: Future<boolean> | null = null;
  /** Tasks that completed, waiting for `_onTaskDone` (see `_fire`). */
  private readonly _fired: (Task<unknown> | undefined)[] = [];
  private _firedHead = 0;

  /** Python's `repr()`: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    let info = "";
    if (this._live > 0) info += ` tasks=${this._live}`;
    if (this._errors !== null && this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += " cancelling";
    else if (this._entered) info += " entered";
    return `<TaskGroup${info}>`;
  }

  /**
   * Mirrors `TaskGroup.__aenter__`: bind the group to the current task (its parent), which the
   * group cancels when a child fails. Throws `RuntimeError` outside a task or when entered twice.
   */
  enter(): this {
    if (this._entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    if (this._loop === null) this._loop = getRunningLoop();
    this._parentTask = currentTask(this._loop);
    if (this._parentTask === null) {
      throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    }
    this._entered = true;
    return this;
  }

  /**
   * Mirrors `TaskGroup.__aexit__`: wait for every task of the group. Call it with no argument when
   * the guarded code completed, or with what it threw. Throws the `ExceptionGroup` of the
   * failures (the thrown error, unless a `CancelledError`, included last) or a `CancelledError`
   * to propagate; otherwise returns, and the caller rethrows its own error if it had one.
   */
  *exit(...error: [] | [error: unknown]): Coroutine<void> {
    if (!this._entered) throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    // Python's `async with` cannot call `__aexit__` twice; by hand it would misbehave.
    if (this._exited) throw new RuntimeError(`TaskGroup ${this} has already been exited`);
    this._exited = true;
    this._exiting = true;
    const hasError = error.length > 0;
    const exc = error[0];
    const loop = this._loop!;
    const parent = this._parentTask!;

    // Python's `_base_error` (SystemExit, KeyboardInterrupt) has no JS twin.
    let propagateCancellationError: CancelledError | null =
      hasError && exc instanceof CancelledError ? exc : null;

    // Our parent task is being cancelled, or the body threw: cancel the children.
    if (hasError && !this._aborting) this._abort();

    // A loop: the parent can be cancelled repeatedly while we wait (each cancel cancels the
    // waiter), or once while our own cancellation is already in progress.
    while (this._live > 0) {
      if (this._onCompletedFut === null) this._onCompletedFut = loop.createFuture<boolean>();
      try {
        yield* this._onCompletedFut;
      } catch (ex) {
        if (!(ex instanceof CancelledError)) throw ex;
        if (!this._aborting) {
          // The parent is cancelled from outside while children still run.
          propagateCancellationError = ex;
          this._abort();
        }
      }
      this._onCompletedFut = null;
    }

    if (this._parentCancelRequested) {
      // We cancelled the parent: withdraw that request; with none left, swallow the cancellation.
      if (parent.uncancel() === 0) propagateCancellationError = null;
    }

    // Propagate CancelledError if there is one, unless there are errors: they have priority.
    const errors = this._errors!;
    if (propagateCancellationError !== null && errors.length === 0) {
      throw propagateCancellationError;
    }

    if (hasError && !(exc instanceof CancelledError)) errors.push(exc);

    if (errors.length > 0) {
      // Cancelled from outside too: uncancel and re-cancel, keeping the parent's count stable.
      if (parent.cancelling()) {
        parent.uncancel();
        parent.cancel();
      }
      this._errors = null;
      // Python raises it `from None`: an own, empty `cause`, so `asyncWith` chains nothing onto it.
      throw new ExceptionGroup("unhandled errors in a TaskGroup", errors, { cause: undefined });
    }
  }

  /**
   * Mirrors `TaskGroup.__aenter__`: {@link enter} as a coroutine, for `asyncWith`; gives the group
   * itself to the body (`async with asyncio.TaskGroup() as tg:`).
   * @example
   * import { asyncWith, run } from "@asyncio-ts/core";
   * import { TaskGroup } from "@asyncio-ts/combinators";
   * import { sleep } from "@asyncio-ts/time";
   * await run((function* () {
   *   const sum = yield* asyncWith(new TaskGroup(), function* (tg) {
   *     const a = tg.createTask(sleep(0.02, 1));
   *     const b = tg.createTask(sleep(0.01, 2));
   *     yield* sleep(0.03);
   *     return a.result() + b.result();
   *   });
   *   console.log(sum); // 3
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__aenter__` here awaits nothing.
  *aenter(): Coroutine<this> {
    return this.enter();
  }

  /**
   * Mirrors `TaskGroup.__aexit__`: {@link exit} for `asyncWith` (`exc` is what the body threw,
   * `null` when it finished): waits for every task, then raises the `ExceptionGroup` of the
   * failures, or the `CancelledError` to propagate. Never suppresses an error.
   * @example
   * import { asyncWith, type Coroutine, ExceptionGroup, run } from "@asyncio-ts/core";
   * import { TaskGroup } from "@asyncio-ts/combinators";
   * import { sleep } from "@asyncio-ts/time";
   * function* fail(): Coroutine<never> {
   *   yield* sleep(0.01);
   *   throw new Error("boom");
   * }
   * await run((function* () {
   *   try {
   *     yield* asyncWith(new TaskGroup(), function* (tg) {
   *       tg.createTask(fail());
   *       yield* sleep(1); // cancelled when the child fails
   *     });
   *   } catch (e) {
   *     console.log(e instanceof ExceptionGroup && e.exceptions.length); // 1
   *   }
   * })());
   */
  *aexit(exc: unknown): Coroutine<undefined> {
    if (exc === null) yield* this.exit();
    else yield* this.exit(exc);
    return undefined;
  }

  /**
   * Mirrors `TaskGroup.create_task(coro, *, name=None, context=None)`: a task of this group.
   * Throws `RuntimeError` (closing `coro`) before the group is entered, once it is finished, and
   * while it is shutting down after a failure.
   * @example
   * import { run } from "@asyncio-ts/core";
   * import { taskGroup } from "@asyncio-ts/combinators";
   * import { sleep } from "@asyncio-ts/time";
   * await run((function* () {
   *   yield* taskGroup(function* (tg) {
   *     const t = tg.createTask(sleep(0.01, "x"), { name: "worker" });
   *     console.log(t.getName(), yield* t); // worker x
   *   });
   * })());
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskGroupCreateTaskOptions): Task<T> {
    if (!isCoroutine(coro)) Task._checkCoro(coro);
    if (!this._entered) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    }
    if (this._exiting && this._live === 0) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${this} is finished`);
    }
    if (this._aborting) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${this} is shutting down`);
    }
    const task = this._loop!.createTask(coro, {
      name: options?.name ?? null,
      context: options?.context ?? null,
    }) as Task<T>;
    // A task that completed eagerly reports at once, without a done-callback.
    if (task.done()) {
      this._onTaskDone(task, false);
    } else {
      this._tasks.push(task);
      this._live += 1;
      task._addEntry(this);
      // Python 3.14: the parent task waits for its children (for captureCallGraph).
      _addAwaitedBy(task, this._parentTask!);
    }
    return task;
  }

  /** @internal Cancel the children: on the first failure, or when the parent is cancelled. */
  _abort(): void {
    this._aborting = true;
    // Python iterates a set, in no defined order; here the children cancel in creation order.
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  /**
   * @internal The scope's coroutine was closed (`return()`) mid-body, Python's `coro.close()`:
   * there is no waiting any more, so cancel the children and let them end on their own.
   */
  _close(): void {
    this._exiting = true;
    this._exited = true;
    if (!this._aborting) this._abort();
  }

  /**
   * @internal Done-entry protocol: a child completed. As with Python's `add_done_callback`, its
   * callback runs from the ready queue (the group is queued once per child and takes the oldest
   * child back), without a handle per task. It runs outside the context captured by the child's
   * creation, which only the exception handler of a parent-already-done report could observe.
   */
  _fire(task: Future<unknown>): void {
    const loop = this._loop as BaseEventLoop;
    loop._checkClosed();
    this._fired.push(task as Task<unknown>);
    loop._pushReady(this);
  }

  /** @internal Ready-entry protocol: run `_onTaskDone` for the oldest completed child. */
  _run(loop: BaseEventLoop): void {
    const fired = this._fired;
    const i = this._firedHead;
    const task = fired[i]!;
    if (i + 1 === fired.length) {
      fired.length = 0;
      this._firedHead = 0;
    } else {
      fired[i] = undefined;
      this._firedHead = i + 1;
    }
    try {
      this._onTaskDone(task, true);
    } catch (exc) {
      loop.callExceptionHandler({
        message: `Exception in callback TaskGroup._on_task_done(${task.toString()})`,
        exception: exc,
        task,
      });
    }
  }

  /** Python's `TaskGroup._on_task_done`; `member`: `task` is in `_tasks`. */
  private _onTaskDone(task: Task<unknown>, member: boolean): void {
    if (member) {
      this._live -= 1;
      _discardAwaitedBy(task, this._parentTask!);
      // Done tasks only wait to be dropped: do it when they are most of the list.
      const tasks = this._tasks;
      if (tasks.length >= 64 && tasks.length >= 2 * this._live) {
        this._tasks = tasks.filter((t) => !t.done());
      }
    }

    const waiter = this._onCompletedFut;
    if (waiter !== null && this._live === 0 && !waiter.done()) waiter.setResult(true);

    if (task.cancelled() || !isFailed(task)) return;
    const exc = task.exception();
    this._errors!.push(exc);

    const parent = this._parentTask!;
    if (parent.done()) {
      // Should not happen (the parent waits in `exit`), but report rather than lose the error.
      this._loop!.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: exc,
        task,
      });
      return;
    }

    if (!this._aborting && !this._parentCancelRequested) {
      // The parent is not being cancelled: cancel it, to abort whatever it runs inside the group,
      // and withdraw that request in `exit` so the parent carries on after the scope.
      this._abort();
      this._parentCancelRequested = true;
      parent.cancel();
    }
  }
}

/**
 * Mirrors `async with asyncio.TaskGroup() as tg:`: run `body(tg)` and wait for every task it
 * creates with `tg.createTask`. Returns the body's result once all are done. The first child to
 * fail cancels the others and the body; then every failure (the body's own error too, unless a
 * `CancelledError`) is raised together as `ExceptionGroup("unhandled errors in a TaskGroup")`.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { taskGroup } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const sum = yield* taskGroup(function* (tg) {
 *     const a = tg.createTask(sleep(0.02, 1));
 *     const b = tg.createTask(sleep(0.01, 2));
 *     yield* sleep(0.03);
 *     return a.result() + b.result();
 *   });
 *   console.log(sum); // 3
 * })());
 */
export function* taskGroup<T>(body: (tg: TaskGroup) => Coroutine<T>): Coroutine<T> {
  checkBody(body, "taskGroup");
  const tg = new TaskGroup().enter();
  let result: T | undefined;
  let bad: TypeError | null = null;
  // Still true in `finally` only when the generator was closed with `return()` mid-body.
  let closing = true;
  try {
    const coro = body(tg);
    if (isAwaitable(coro)) result = yield* coro;
    else bad = badBodyResult(coro, "taskGroup");
    closing = false;
  } catch (e) {
    closing = false;
    yield* tg.exit(e);
    throw e;
  } finally {
    if (closing) tg._close();
  }
  if (bad !== null) {
    // A usage error, not a failure in the group: raised as is, not in an ExceptionGroup.
    tg._close();
    throw bad;
  }
  yield* tg.exit();
  return result as T;
}
