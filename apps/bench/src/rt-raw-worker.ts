// The raw worker_threads floor's worker (rows 10, 11): each message is `[a, b]`, each reply
// `add(a, b)`, in order.
import { parentPort } from "node:worker_threads";

function add(a: number, b: number): number {
  return a + b;
}

const port = parentPort!;
port.on("message", (m: [number, number]) => port.postMessage(add(m[0], m[1])));
