/**
 * Twin of python/async-with-resource.py: `async with` on a resource class (`__aenter__` /
 * `__aexit__` are `aenter()` / `aexit(exc)`), on a generator-based context manager
 * (`@asynccontextmanager` is `asyncContextManager`), on an `asyncio.Lock` shared by two tasks,
 * and on an `AsyncExitStack` that closes what it opened in reverse order.
 *
 *     async with Connection("db") as conn:
 *         print(await conn.query("SELECT 1"))
 *         async with transaction(conn):
 *             ...
 *
 * is `yield* asyncWith(new Connection("db"), function* (conn) { ... })`. `aexit` runs however
 * the body ends (a result, an error, a cancellation) and gets the error, or `null`.
 * Run: `node dist/async-with-resource.js`.
 */
import { pathToFileURL } from "node:url";
import { Lock } from "@asyncio-ts/sync";
import {
  type AsyncContextManager,
  AsyncExitStack,
  asyncContextManager,
  asyncWith,
  type Coroutine,
  createTask,
  type Emit,
  getRunningLoop,
  run,
  sleep,
} from "asyncio-ts";

class QueryError extends Error {
  override name = "QueryError";
}

/** A connection that must be closed: open in `aenter`, closed in `aexit`. */
class Connection implements AsyncContextManager<Connection, false> {
  constructor(readonly name: string) {}

  *aenter(): Coroutine<Connection> {
    console.log(`${this.name}: connecting`);
    yield* sleep(0.5);
    return this;
  }

  *aexit(exc: unknown): Coroutine<false> {
    const how = exc === null ? "clean exit" : (exc as Error).name;
    yield* sleep(0.1);
    console.log(`${this.name}: closed (${how})`);
    return false; // do not suppress the error
  }

  *query(sql: string): Coroutine<string> {
    yield* sleep(0.2);
    if (sql.includes("missing")) throw new QueryError(`no such table in ${sql}`);
    return `${this.name} rows for ${sql}`;
  }
}

/** Python's `@asynccontextmanager`: the code before `emit` enters, the rest exits. */
const transaction = asyncContextManager(function* (emit: Emit<Connection>, conn: Connection) {
  console.log("  BEGIN");
  try {
    yield* emit(conn);
    console.log("  COMMIT");
  } catch (e) {
    console.log(`  ROLLBACK (${(e as Error).name})`);
    throw e;
  }
});

function* useLock(name: string, lock: Lock): Coroutine<void> {
  yield* asyncWith(lock, function* () {
    console.log(`${name} holds the lock`);
    yield* sleep(1);
    console.log(`${name} releases the lock`);
  });
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  yield* asyncWith(new Connection("db"), function* (conn) {
    console.log(yield* conn.query("SELECT 1"));
    yield* asyncWith(transaction(conn), function* (tx) {
      console.log(`  ${yield* tx.query("UPDATE t")}`);
    });
    try {
      yield* asyncWith(transaction(conn), function* (tx) {
        yield* tx.query("SELECT missing");
      });
    } catch (e) {
      console.log(`caught ${(e as Error).name}: ${(e as Error).message}`);
    }
  });
  console.log(`connection used and closed (${elapsed()})`);

  const lock = new Lock();
  const a = createTask(useLock("task A", lock));
  const b = createTask(useLock("task B", lock));
  yield* a;
  yield* b;
  console.log(`lock is free again: ${lock.locked() ? "False" : "True"} (${elapsed()})`);

  yield* asyncWith(new AsyncExitStack(), function* (stack) {
    for (const name of ["primary", "replica"]) yield* stack.enterAsyncContext(new Connection(name));
    console.log("both connections open");
  });
  console.log(`done (${elapsed()})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
