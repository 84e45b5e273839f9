// The trace viewer in a real headless Chromium: a trace recorded by `Tracer` on virtual time is
// served with the page, and a screenshot of the drawn timeline must show each task's bars where
// and as long as the trace says.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Coroutine, createTask, run, setEventLoopPolicy, Tracer } from "@asyncio-ts/core";
import { VirtualTimeEventLoopPolicy } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { type Browser, chromium } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../../../scripts/ensure-chromium.mjs";

const here = new URL("../", import.meta.url).pathname;
const executablePath = findChromium();

/** Three tasks on virtual time: done after 1 s, done after 3 s, failing after 2 s. */
async function recordTrace(): Promise<unknown> {
  const tracer = new Tracer();
  setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
  try {
    await run(
      (function* (): Coroutine<void> {
        const fast = createTask(sleep(1), { name: "fast" });
        const slow = createTask(sleep(3), { name: "slow" });
        const failing = createTask(
          (function* (): Coroutine<void> {
            yield* sleep(2);
            throw new RangeError("boom");
          })(),
          { name: "failing" },
        );
        yield* fast;
        yield* slow;
        try {
          yield* failing;
        } catch {}
      })(),
      { tracer },
    );
  } finally {
    setEventLoopPolicy(null);
  }
  return tracer.toChromeTrace();
}

let server: Server;
let base = "";
let browser: Browser | null = null;

beforeAll(async () => {
  const trace = JSON.stringify(await recordTrace());
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/trace.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(trace);
      return;
    }
    const file = path === "/index.html" ? "index.html" : path === "/viewer.js" ? "viewer.js" : null;
    if (file === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": file.endsWith(".js") ? "text/javascript" : "text/html",
    });
    res.end(readFileSync(join(here, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (executablePath !== null) {
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** RGB of a `#rrggbb` color. */
function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

describe.skipIf(executablePath === null)("the trace viewer in headless Chromium", () => {
  it("draws a row per task with await bars as long as the waits, and the failure mark", async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 400 } });
    await page.goto(`${base}/index.html?trace=/trace.json`);
    await page.waitForSelector("body[data-rendered]");
    expect(await page.getAttribute("body", "data-rendered")).toBe("true");
    const rows = (await page.evaluate("window.traceRows")) as string[];
    const colors = (await page.evaluate("import('./viewer.js').then((m) => m.COLORS)")) as Record<
      string,
      string
    >;
    expect(rows).toEqual(expect.arrayContaining(["fast", "slow", "failing"]));

    const png = PNG.sync.read(await page.locator("#timeline").screenshot());
    /** The pixels of one color along the middle of a task's row: [count, first x, last x]. */
    const run = (name: string, hex: string): [number, number, number] => {
      const [r, g, b] = rgb(hex);
      const y = 24 + rows.indexOf(name) * 26 + 13;
      let count = 0;
      let first = -1;
      let last = -1;
      for (let x = 0; x < png.width; x++) {
        const i = (png.width * y + x) * 4;
        if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) {
          count++;
          if (first < 0) first = x;
          last = x;
        }
      }
      return [count, first, last];
    };
    const [fast] = run("fast", colors.await!);
    const [slow] = run("slow", colors.await!);
    const [failingWait] = run("failing", colors.await!);
    // The waits last 1 s, 3 s and 2 s on the same axis.
    expect(slow).toBeGreaterThan(300);
    expect(fast / slow).toBeGreaterThan(0.28);
    expect(fast / slow).toBeLessThan(0.38);
    expect(failingWait / slow).toBeGreaterThan(0.6);
    expect(failingWait / slow).toBeLessThan(0.72);
    // How each ended: a green mark for the fast task, a red one for the failing task.
    expect(run("fast", colors.done!)[0]).toBeGreaterThan(0);
    expect(run("failing", colors.failed!)[0]).toBeGreaterThan(0);
    expect(run("failing", colors.done!)[0]).toBe(0);
    // The loop's row: a tick where each timer fired (at 1, 2 and 3 s).
    expect(run("loop (timers)", colors.timer!)[0]).toBeGreaterThanOrEqual(3);
    await page.close();
  }, 60_000);

  it("says so when the file is not a trace", async () => {
    const page = await browser!.newPage();
    await page.goto(`${base}/index.html`);
    await page.setInputFiles("#file", {
      name: "bad.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"not":"a trace"}'),
    });
    await page.waitForSelector("body[data-rendered]");
    expect(await page.getAttribute("body", "data-rendered")).toBe("error");
    expect(await page.textContent("#status")).toContain("not a Chrome trace");
    await page.close();
  }, 60_000);
});
