import { deserialize } from "node:v8";

/** What run-job.mjs sends back for a thrown value. */
type Thrown =
  | {
      kind: "error";
      name: string;
      message: string;
      stack?: string;
      cause?: Thrown;
      errors?: Thrown[];
      props: Record<string, unknown>;
    }
  | { kind: "value"; value: unknown };

/** @internal A worker's reply (v8-serialized unless its value is a primitive). */
export type Reply = { ok: true; value: unknown } | { ok: false; error: Thrown };

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

/**
 * Rebuilds what a worker threw: built-in error classes come back as themselves; any other error
 * (a custom class, a DOMException) comes back as an `Error` with the same `name`. The stack is
 * the worker's; `cause`, `AggregateError.errors` and own data properties (`code`, ...) survive.
 */
export function rebuildThrown(t: Thrown): unknown {
  if (t.kind === "value") return t.value;
  const options = t.cause !== undefined ? { cause: rebuildThrown(t.cause) } : undefined;
  let err: Error;
  if (t.name === "AggregateError" && t.errors !== undefined) {
    err = new AggregateError(t.errors.map(rebuildThrown), t.message, options);
  } else {
    const Ctor = Object.hasOwn(BUILT_IN, t.name) ? BUILT_IN[t.name]! : Error;
    err = new Ctor(t.message, options);
    if (Ctor === Error && t.name !== "Error") {
      Object.defineProperty(err, "name", {
        value: t.name,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
  if (t.errors !== undefined && !(err instanceof AggregateError)) {
    (err as { errors?: unknown[] }).errors = t.errors.map(rebuildThrown);
  }
  Object.assign(err, t.props);
  err.stack = t.stack ?? `${t.name}: ${t.message}`;
  return err;
}

/**
 * @internal Decodes a worker's reply: `[true, value]` or `[false, error]`. A primitive result
 * comes bare; anything else is a v8-serialized {@link Reply}.
 */
export function decodeReply(data: unknown): [true, unknown] | [false, unknown] {
  if (!(data instanceof Uint8Array)) return [true, data];
  const reply = deserialize(data) as Reply;
  return reply.ok ? [true, reply.value] : [false, rebuildThrown(reply.error)];
}
