// Cancelling a fromPromise future really stops Node work that takes an AbortSignal.
import { EventEmitter, once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { CancelledError, type Coroutine, createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { afterEach, describe, expect, it } from "vitest";
import { fromPromise } from "../src/index.js";
import { settled, thrown } from "./helpers.js";

describe("fromPromise(factory): cancellation reaches Node APIs", () => {
  it("timers/promises setTimeout stops: it rejects at once with AbortError", async () => {
    let timer!: Promise<string>;
    const started = performance.now();
    await runVirtual(
      (function* () {
        const fut = fromPromise((signal) => {
          timer = delay(10_000, "never delivered", { signal });
          return timer;
        });
        yield* sleep(0);
        fut.cancel("no longer needed");
        yield* thrown(fut);
      })(),
    );
    const [kind, err] = await settled(timer);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(kind).toBe("err");
    expect((err as Error).name).toBe("AbortError");
    expect((err as { code?: string }).code).toBe("ABORT_ERR");
    // Node wraps the signal's reason as `cause`: ours, whose own cause is the CancelledError.
    const reason = (err as Error).cause as Error;
    expect(reason.name).toBe("AbortError");
    expect(reason.cause).toBeInstanceOf(CancelledError);
  });

  it("events.once stops listening when the awaiting task is cancelled", async () => {
    const emitter = new EventEmitter();
    let waiting!: Promise<unknown[]>;
    await runVirtual(
      (function* () {
        const t = createTask(
          (function* (): Coroutine<unknown[]> {
            return yield* fromPromise((signal) => {
              waiting = once(emitter, "ready", { signal });
              return waiting;
            });
          })(),
        );
        yield* sleep(0);
        expect(emitter.listenerCount("ready")).toBe(1);
        t.cancel();
        yield* thrown(t);
        expect(t.cancelled()).toBe(true);
        expect(emitter.listenerCount("ready")).toBe(0);
      })(),
    );
    const [kind, err] = await settled(waiting);
    expect(kind).toBe("err");
    expect((err as Error).name).toBe("AbortError");
    emitter.emit("ready", 1); // nobody listens any more: nothing happens
  });

  it("events.once still delivers when nobody cancels", async () => {
    const emitter = new EventEmitter();
    const v = await runVirtual(
      (function* () {
        setTimeout(() => emitter.emit("ready", "go", 2), 5);
        return yield* fromPromise((signal) => once(emitter, "ready", { signal }));
      })(),
    );
    expect(v).toEqual(["go", 2]);
  });

  describe("fetch", () => {
    let server: Server | null = null;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      server = null;
    });

    it("cancelling the future aborts the request: the server sees the connection close", async () => {
      let arrived!: (req: IncomingMessage) => void;
      const requestArrived = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
      // A server that never answers.
      server = createServer((req) => arrived(req));
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      let request!: Promise<Response>;
      const closed = await runVirtual(
        (function* () {
          const response = fromPromise((signal) => {
            request = fetch(`http://127.0.0.1:${port}/slow`, { signal });
            return request;
          });
          const req = yield* fromPromise(requestArrived);
          const closedPromise = new Promise<string>((resolve) =>
            req.socket.once("close", () => resolve("closed")),
          );
          response.cancel("user navigated away");
          expect(response.cancelled()).toBe(true);
          return yield* fromPromise(closedPromise);
        })(),
      );
      expect(closed).toBe("closed");
      const [kind, err] = await settled(request);
      expect(kind).toBe("err");
      // fetch rejects with the signal's reason itself.
      expect((err as Error).name).toBe("AbortError");
      expect((err as Error).message).toBe("user navigated away");
      expect((err as Error).cause).toBeInstanceOf(CancelledError);
    });
  });
});
