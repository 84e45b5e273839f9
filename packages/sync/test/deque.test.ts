// The internal ring-buffer deque behind every waiter line and the Queue's items.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deque } from "../src/internal/deque.js";

type Op = { op: "push"; v: number } | { op: "shift" } | { op: "pop" } | { op: "remove"; v: number };

describe("Deque (internal)", () => {
  it("behaves like an array under any sequence of push, shift, pop and remove", () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant("push" as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant("shift" as const) }),
      fc.record({ op: fc.constant("pop" as const) }),
      fc.record({ op: fc.constant("remove" as const), v: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const d = new Deque<number>(2);
        const model: number[] = [];
        for (const o of ops) {
          if (o.op === "push") {
            d.push(o.v);
            model.push(o.v);
          } else if (o.op === "shift") {
            expect(d.shift()).toBe(model.shift());
          } else if (o.op === "pop") {
            expect(d.pop()).toBe(model.pop());
          } else {
            const i = model.indexOf(o.v);
            if (i >= 0) model.splice(i, 1);
            expect(d.remove(o.v)).toBe(i >= 0);
          }
          expect(d.length).toBe(model.length);
        }
        expect(d.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(d.at(i)).toBe(model[i]);
      }),
    );
  });

  it("removes only the first occurrence", () => {
    const d = new Deque<string>();
    for (const s of ["a", "b", "a", "c"]) d.push(s);
    expect(d.remove("a")).toBe(true);
    expect(d.toArray()).toEqual(["b", "a", "c"]);
    expect(d.remove("z")).toBe(false);
  });
});
