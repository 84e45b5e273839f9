import { describe, expect, it } from "vitest";
import { BrokenBarrierError, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";

describe("errors", () => {
  it.each([
    ["QueueEmpty", QueueEmpty],
    ["QueueFull", QueueFull],
    ["QueueShutDown", QueueShutDown],
    ["BrokenBarrierError", BrokenBarrierError],
  ])("%s extends Error with its name set", (name, E) => {
    const e = new E("msg");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.message).toBe("msg");
    expect(String(e)).toBe(`${name}: msg`);
    expect(new E().message).toBe("");
  });
});
