export { sleep } from "./sleep.js";
export { Timeout, timeout, timeoutAt } from "./timeout.js";
export { waitFor } from "./wait-for.js";
