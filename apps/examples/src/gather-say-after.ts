/**
 * Twin of the `gather()` program on Python's "Coroutines and Tasks" page ("Running Tasks
 * Concurrently"): the factorial coroutines run concurrently, and `gather` gives their results
 * as a list in argument order. Then say_after-style coroutines that finish in another order
 * (fast, medium, slow) still give their results in argument order; and with
 * `returnExceptions: true` an exception is a result like any other.
 *
 *     async def main():
 *         # Schedule three calls *concurrently*:
 *         L = await asyncio.gather(
 *             factorial("A", 2),
 *             factorial("B", 3),
 *             factorial("C", 4),
 *         )
 *         print(L)
 *
 * `gather` returns a Future whose result is a typed tuple (`[number, number, number]` here);
 * Python's keyword `return_exceptions=True` is a trailing `{ returnExceptions: true }`.
 * Run: `node dist/gather-say-after.js`.
 */
import { pathToFileURL } from "node:url";
import { gather } from "@asyncio-ts/combinators";
import { type Coroutine, getRunningLoop, run, sleep } from "asyncio-ts";

function* factorial(name: string, number: number): Coroutine<number> {
  let f = 1;
  for (let i = 2; i <= number; i++) {
    console.log(`Task ${name}: Compute factorial(${number}), currently i=${i}...`);
    yield* sleep(1);
    f *= i;
  }
  console.log(`Task ${name}: factorial(${number}) = ${f}`);
  return f;
}

function* sayAfter(delay: number, what: string): Coroutine<string> {
  yield* sleep(delay);
  console.log(`${what} finished`);
  return what;
}

class Boom extends Error {
  override name = "Boom";
}

function* failAfter(delay: number, msg: string): Coroutine<never> {
  yield* sleep(delay);
  throw new Boom(msg);
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  // Schedule three calls *concurrently*:
  const L = yield* gather(factorial("A", 2), factorial("B", 3), factorial("C", 4));
  console.log(`[${L.join(", ")}]`);
  console.log(`factorials done at ${elapsed()}`);

  // They finish in another order; the results still come in argument order.
  const words = yield* gather(
    sayAfter(0.3, "slow"),
    sayAfter(0.1, "fast"),
    sayAfter(0.2, "medium"),
  );
  console.log(`[${words.map((w) => `'${w}'`).join(", ")}]`);
  console.log(`words done at ${elapsed()}`);

  // returnExceptions: true: an exception is a result like any other.
  const results = yield* gather(sayAfter(0.2, "ok"), failAfter(0.1, "no luck"), {
    returnExceptions: true,
  });
  for (const r of results) {
    if (r instanceof Error) console.log(`  raised ${r.name}: ${r.message}`);
    else console.log(`  returned '${r}'`);
  }
  console.log(`finished at ${elapsed()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
