/**
 * Twin of python/paginated-producer.py: an async generator that fetches pages (each request a
 * `sleep`) and yields their items one by one, consumed with `async for`. The first consumer
 * stops early at the item it looks for: leaving the loop closes the generator at once, so its
 * `finally` runs before the next line (Python needs `contextlib.aclosing` for that; without it
 * the generator would be closed later, by the garbage collector). The second reads all pages.
 *
 *     async def fetch_pages():
 *         page = 0
 *         try:
 *             while page < len(PAGES):
 *                 print(f"fetching page {page + 1}")
 *                 await asyncio.sleep(0.5)  # the request
 *                 for item in PAGES[page]:
 *                     yield item
 *                 page += 1
 *         finally:
 *             print(f"producer closed after {page + 1} page(s)")
 *
 * `yield item` is `yield* emit(item)` here: a generator's own `yield` belongs to the event loop.
 * Run: `node dist/paginated-producer.js`.
 */
import { pathToFileURL } from "node:url";
import {
  asyncFor,
  asyncGenerator,
  BREAK,
  type Coroutine,
  type Emit,
  getRunningLoop,
  run,
  sleep,
} from "asyncio-ts";

const PAGES = [
  ["apple", "banana", "cherry"],
  ["damson", "elder", "fig"],
  ["grape", "hazel"],
];

const fetchPages = asyncGenerator(function* (emit: Emit<string>) {
  let page = 0;
  try {
    while (page < PAGES.length) {
      console.log(`fetching page ${page + 1}`);
      yield* sleep(0.5); // the request
      for (const item of PAGES[page]!) yield* emit(item);
      page += 1;
    }
  } finally {
    console.log(`producer closed after ${Math.min(page + 1, PAGES.length)} page(s)`);
  }
});

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  // Stop at the first item starting with "e": only two pages are fetched.
  yield* asyncFor(fetchPages(), (item) => {
    console.log(`got ${item}`);
    if (item.startsWith("e")) {
      console.log("found it, leaving the loop");
      return BREAK;
    }
  });
  console.log(`after the loop (${elapsed()})`);

  // Read everything: the loop ends when the generator does.
  const all: string[] = [];
  const finished = yield* asyncFor(fetchPages(), (item) => {
    all.push(item);
  });
  console.log(`${all.length} items, ran to the end: ${finished ? "True" : "False"} (${elapsed()})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
