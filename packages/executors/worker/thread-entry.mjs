// A worker thread of ThreadPoolExecutor (see src/internal/thread-workers.ts): one job at a time
// arrives as a message, its reply goes back the same way.
import { parentPort } from "node:worker_threads";
import { runJob } from "./run-job.mjs";

// Below this size, copying the reply costs less than transferring its buffer.
const TRANSFER_FROM = 64 * 1024;

function reply(data) {
  if (data instanceof Uint8Array && data.byteLength >= TRANSFER_FROM) {
    parentPort.postMessage(data, [data.buffer]);
  } else {
    parentPort.postMessage(data);
  }
}

/** What the compact messages refer to: { source, globals, fnName } by the sender's key. */
const sources = new Map();

// See ThreadWorkers#key in src/internal/thread-workers.ts for the two message forms.
function unpack(message) {
  if (!Array.isArray(message)) return message;
  const [id, key, args] = message;
  let def = sources.get(key);
  if (def === undefined) {
    def = { source: message[3], globals: message[4], fnName: message[5] };
    sources.set(key, def);
  }
  const { source, globals, fnName } = def;
  return { id, fnName, chunk: false, args, source, globals };
}

parentPort.on("message", (message) => {
  const data = runJob(unpack(message));
  if (data instanceof Promise) data.then(reply);
  else reply(data);
});
