export {
  AsCompletedIterator,
  type AsCompletedOptions,
  asCompleted,
} from "./as-completed.js";
export { type GatherOptions, type GatherResults, type GatherSettled, gather } from "./gather.js";
export { shield } from "./shield.js";
export { TaskGroup, type TaskGroupCreateTaskOptions, taskGroup } from "./task-group.js";
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from "./wait.js";
