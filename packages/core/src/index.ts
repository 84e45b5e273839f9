export type {
  AbstractEventLoop,
  ExceptionContext,
  ExceptionHandler,
  TaskFactory,
} from "./abstract-event-loop.js";
export { aclosing } from "./aclosing.js";
export {
  AsyncGeneratorContextManager,
  asyncContextManager,
} from "./async-context-manager.js";
export { type AsyncExitCallback, AsyncExitStack } from "./async-exit-stack.js";
export { asyncFor, BREAK } from "./async-for.js";
export { AGenerator, asyncGenerator, type Emit } from "./async-generator.js";
export {
  type AIterable,
  type AIteratedOf,
  type AIterator,
  aiter,
  anext,
} from "./async-iterator.js";
export { type AsyncContextManager, asyncWith } from "./async-with.js";
export { BaseEventLoop, EventLoop } from "./base-event-loop.js";
export {
  captureCallGraph,
  type FutureCallGraph,
  formatCallGraph,
  printCallGraph,
} from "./call-graph.js";
export { Context, ContextVar, copyContext, Token } from "./context.js";
export {
  CancelledError,
  ExceptionGroup,
  InvalidStateError,
  isCancelledError,
  LookupError,
  RuntimeError,
  StopAsyncIteration,
  TimeoutError,
} from "./errors.js";
export {
  _getRunningLoop,
  DefaultEventLoopPolicy,
  type EventLoopPolicy,
  getEventLoop,
  getEventLoopPolicy,
  getRunningLoop,
  newEventLoop,
  setEventLoop,
  setEventLoopPolicy,
} from "./events.js";
export {
  type ConcurrentFuture,
  type Executor,
  setDefaultExecutorFactory,
  wrapFuture,
} from "./executor.js";
export { Future, isFuture } from "./future.js";
export { Handle, TimerHandle } from "./handle.js";
export { Runner, type RunOptions, run } from "./runners.js";
export {
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  isCoroutine,
  Task,
} from "./task.js";
export { type ChromeTrace, type TraceEvent, Tracer, type TracerOptions } from "./tracer.js";
export type { Awaitable, AwaitedOf, Coroutine } from "./types.js";
