// Runs one job inside a worker thread (thread-entry.mjs) or a child process (tinypool). Plain JavaScript
// with no dependency but Node: workers load it with Node itself, whether the package runs from
// src/ (TypeScript, under vitest) or from dist/.
//
// A job is { id, fnName, chunk, args | data, source + globals | url + name }, and the reply
// a record, { ok: true, value } or { ok: false, error }, v8-serialized here unless the value is a
// primitive: a result that cannot be sent back then becomes an error of its job, where letting
// the pool's postMessage fail would kill the worker.
import v8 from "node:v8";

globalThis[Symbol.for("@asyncio-ts/executors.inWorker")] = true;

// Called through a variable, eval is indirect: it sees the global scope only.
// biome-ignore lint/security/noGlobalEval: compiling the sent source is the whole point.
const indirectEval = globalThis.eval;

const MAX_CACHED = 256;
/** Functions compiled from source, by source text. */
const compiled = new Map();
/** Functions imported from modules, by `url#name`. */
const imported = new Map();

/** How messages name a job; the main thread's jobLabel() (src/executor-future.ts) says the same. */
function labelOf(job) {
  return `job #${job.id} (${job.fnName || "anonymous"})`;
}

function remember(cache, key, value) {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value);
  cache.set(key, value);
}

function compile(job) {
  const cached = compiled.get(job.source);
  if (cached !== undefined) return cached;
  for (const name of job.globals) {
    if (!(name in globalThis)) {
      throw new ReferenceError(
        `${name} is not defined in the worker: ${labelOf(job)} uses the global \`${name}\`, which ` +
          "the main thread has and a worker does not; pass the value as an argument instead",
      );
    }
  }
  const tag = job.fnName.replace(/[^\w$.-]/g, "_") || "anonymous";
  // Indirect eval compiles at global scope, so nothing but globals is in reach, as the main
  // thread's static check promised; "use strict" matches module code; and unlike vm.Script
  // (which needs an experimental flag on Node 20), it lets the function use dynamic import().
  const fn = indirectEval(`"use strict";(${job.source}\n)\n//# sourceURL=asyncio-ts-job:${tag}`);
  remember(compiled, job.source, fn);
  return fn;
}

async function load(job) {
  const key = `${job.url}#${job.name}`;
  const cached = imported.get(key);
  if (cached !== undefined) return cached;
  let mod;
  try {
    mod = await import(job.url);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const hint =
      e?.code === "ERR_UNKNOWN_FILE_EXTENSION"
        ? " (workers load modules with plain Node: point to compiled JavaScript, or start Node " +
          "with a loader such as --import tsx, which workers inherit)"
        : "";
    const err = new Error(`cannot import ${job.url} for ${labelOf(job)}: ${message}${hint}`, {
      cause: e,
    });
    if (e instanceof Error) err.name = e.name;
    if (e?.code !== undefined) err.code = e.code;
    throw err;
  }
  const fn = mod[job.name];
  if (typeof fn !== "function") {
    const names = Object.keys(mod).filter((k) => typeof mod[k] === "function");
    throw new TypeError(
      `${job.url} has no exported function \`${job.name}\` (${labelOf(job)}); its exported ` +
        `functions: ${names.length > 0 ? names.join(", ") : "none"}`,
    );
  }
  remember(imported, key, fn);
  return fn;
}

/**
 * Runs the job and returns the reply: the result itself when it is a primitive (always
 * cloneable, and the commonest case), else the `{ ok, value | error }` record v8-serialized.
 * A compiled function whose result is not a thenable replies synchronously (no promise on the
 * way: this is the round trip the executor's latency is measured on); the rest return a promise.
 */
export function runJob(job) {
  if (job.source === undefined || job.chunk || job.data !== undefined) return runJobAsync(job);
  let value;
  try {
    value = compile(job)(...job.args);
    if (isThenable(value)) return settle(value, job);
  } catch (e) {
    return encode({ ok: false, error: describeThrown(e, 0) }, job);
  }
  return encode({ ok: true, value }, job);
}

function isThenable(value) {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof value.then === "function"
  );
}

async function settle(thenable, job) {
  try {
    return encode({ ok: true, value: await thenable }, job);
  } catch (e) {
    return encode({ ok: false, error: describeThrown(e, 0) }, job);
  }
}

async function runJobAsync(job) {
  let record;
  try {
    const fn = job.source !== undefined ? compile(job) : await load(job);
    const args = job.data !== undefined ? v8.deserialize(job.data) : job.args;
    let value;
    if (job.chunk) {
      value = [];
      for (const a of args) value.push(await fn(...a));
    } else {
      value = await fn(...args);
    }
    record = { ok: true, value };
  } catch (e) {
    record = { ok: false, error: describeThrown(e, 0) };
  }
  return encode(record, job);
}

function encode(record, job) {
  if (record.ok) {
    const type = typeof record.value;
    // A primitive result travels bare (no record to clone on either side): every other reply is
    // a v8-serialized buffer, so the main thread tells them apart by type.
    if (record.value === null || (type !== "object" && type !== "function" && type !== "symbol")) {
      return record.value;
    }
  }
  try {
    return v8.serialize(record);
  } catch (e) {
    if (record.ok) {
      const err = new Error(
        `the result of ${labelOf(job)} cannot be sent back from the worker: ${e.message}`,
      );
      err.name = "DataCloneError";
      return encode({ ok: false, error: describeThrown(err, 0) }, job);
    }
    const { name, message, stack } = record.error;
    return v8.serialize({ ok: false, error: { kind: "error", name, message, stack, props: {} } });
  }
}

// The frames below the job (this file, the thread's or tinypool's message loop) say nothing to the user.
function trimStack(stack) {
  const lines = stack.split("\n");
  const i = lines.findIndex((line) => line.includes("/worker/run-job.mjs"));
  return i > 0 ? lines.slice(0, i).join("\n") : stack;
}

const OWN_FIELDS = new Set(["name", "message", "stack", "cause", "errors"]);

function sendable(value) {
  try {
    v8.serialize(value);
    return true;
  } catch {
    return false;
  }
}

function describeThrown(e, depth) {
  if (e instanceof Error) {
    const out = {
      kind: "error",
      name: String(e.name),
      message: String(e.message),
      stack: typeof e.stack === "string" ? trimStack(e.stack) : undefined,
      props: {},
    };
    if (depth < 8) {
      if ("cause" in e) out.cause = describeThrown(e.cause, depth + 1);
      if (Array.isArray(e.errors)) out.errors = e.errors.map((x) => describeThrown(x, depth + 1));
    }
    for (const key of Object.keys(e)) {
      if (!OWN_FIELDS.has(key) && sendable(e[key])) out.props[key] = e[key];
    }
    return out;
  }
  return { kind: "value", value: sendable(e) ? e : String(e) };
}
