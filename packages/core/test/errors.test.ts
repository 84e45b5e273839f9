import { describe, expect, it } from "vitest";
import {
  CancelledError,
  ExceptionGroup,
  InvalidStateError,
  isCancelledError,
  LookupError,
  RuntimeError,
  TimeoutError,
} from "../src/index.js";

describe("error classes", () => {
  const classes = [
    ["CancelledError", CancelledError],
    ["InvalidStateError", InvalidStateError],
    ["TimeoutError", TimeoutError],
    ["RuntimeError", RuntimeError],
    ["LookupError", LookupError],
  ] as const;

  it.each(classes)("%s extends Error and carries its name and message", (name, Cls) => {
    const e = new Cls("the message");
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(Cls);
    expect(e.name).toBe(name);
    expect(e.message).toBe("the message");
    expect(String(e)).toBe(`${name}: the message`);
    expect(typeof e.stack).toBe("string");
  });

  it.each(classes)("%s without a message has an empty message, as Python's str(exc)", (_n, Cls) => {
    expect(new Cls().message).toBe("");
  });

  it("keeps the classes distinct (catching one does not catch another)", () => {
    expect(new CancelledError()).not.toBeInstanceOf(RuntimeError);
    expect(new TimeoutError()).not.toBeInstanceOf(CancelledError);
    expect(new InvalidStateError()).not.toBeInstanceOf(RuntimeError);
  });

  it("supports the standard `cause` option", () => {
    const cause = new Error("root");
    expect(new TimeoutError("t", { cause }).cause).toBe(cause);
  });
});

describe("isCancelledError", () => {
  it("is true for a CancelledError and its subclasses", () => {
    class MyCancel extends CancelledError {}
    expect(isCancelledError(new CancelledError())).toBe(true);
    expect(isCancelledError(new MyCancel("x"))).toBe(true);
  });

  it("is false for other errors, look-alikes and non-errors", () => {
    const fake = new Error("x");
    fake.name = "CancelledError";
    expect(isCancelledError(fake)).toBe(false);
    expect(isCancelledError(new TimeoutError())).toBe(false);
    expect(isCancelledError(null)).toBe(false);
    expect(isCancelledError(undefined)).toBe(false);
    expect(isCancelledError("CancelledError")).toBe(false);
  });
});

describe("ExceptionGroup", () => {
  it("holds its exceptions in order and Python's .message (no sub-exception suffix)", () => {
    const a = new Error("a");
    const b = new TypeError("b");
    const g = new ExceptionGroup("outer", [a, b]);
    expect(g).toBeInstanceOf(Error);
    expect(g.name).toBe("ExceptionGroup");
    expect(g.message).toBe("outer");
    expect(g.exceptions).toEqual([a, b]);
    expect(g.exceptions[0]).toBe(a);
  });

  it("copies the list it is given (later changes to the array do not leak in)", () => {
    const list: unknown[] = [new Error("a")];
    const g = new ExceptionGroup("m", list);
    list.push(new Error("b"));
    expect(g.exceptions).toHaveLength(1);
    expect(Array.isArray(g.exceptions)).toBe(true);
  });

  it("rejects an empty list with Python's ValueError message, as a RangeError", () => {
    expect(() => new ExceptionGroup("m", [])).toThrow(RangeError);
    expect(() => new ExceptionGroup("m", [])).toThrow(
      "second argument (exceptions) must be a non-empty sequence",
    );
  });

  it("rejects a non-array exceptions argument with a RangeError", () => {
    expect(() => new ExceptionGroup("m", null as unknown as unknown[])).toThrow(RangeError);
  });

  it("rejects a non-string message with a TypeError", () => {
    expect(() => new ExceptionGroup(42 as unknown as string, [new Error()])).toThrow(TypeError);
  });

  // Expected values from CPython 3.13:
  //   eg = ExceptionGroup('outer', [TypeError(1), ExceptionGroup('inner', [ValueError(2),
  //        TypeError(3)]), ValueError(4)])
  //   eg.split(TypeError) ->
  //     (ExceptionGroup('outer', [TypeError(1), ExceptionGroup('inner', [TypeError(3)])]),
  //      ExceptionGroup('outer', [ExceptionGroup('inner', [ValueError(2)]), ValueError(4)]))
  function sample() {
    const t1 = new TypeError("1");
    const v2 = new RangeError("2");
    const t3 = new TypeError("3");
    const v4 = new RangeError("4");
    const inner = new ExceptionGroup("inner", [v2, t3]);
    const eg = new ExceptionGroup("outer", [t1, inner, v4]);
    return { eg, t1, v2, t3, v4 };
  }
  const isType = (e: unknown) => e instanceof TypeError;

  it("split() partitions the leaves and keeps the nesting and messages, as Python", () => {
    const { eg, t1, v2, t3, v4 } = sample();
    const [match, rest] = eg.split(isType);
    expect(match?.message).toBe("outer");
    expect(match?.exceptions[0]).toBe(t1);
    const mInner = match?.exceptions[1] as ExceptionGroup;
    expect(mInner).toBeInstanceOf(ExceptionGroup);
    expect(mInner.message).toBe("inner");
    expect(mInner.exceptions).toEqual([t3]);
    expect(rest?.message).toBe("outer");
    const rInner = rest?.exceptions[0] as ExceptionGroup;
    expect(rInner.message).toBe("inner");
    expect(rInner.exceptions).toEqual([v2]);
    expect(rest?.exceptions[1]).toBe(v4);
  });

  it("split() returns [self, null] when the condition matches the group itself", () => {
    const { eg } = sample();
    const [match, rest] = eg.split((e) => e instanceof ExceptionGroup);
    expect(match).toBe(eg);
    expect(rest).toBeNull();
  });

  it("subgroup() returns null when nothing matches and the matching part otherwise", () => {
    const { eg, t1 } = sample();
    expect(eg.subgroup((e) => e instanceof SyntaxError)).toBeNull();
    expect(eg.subgroup(isType)?.exceptions[0]).toBe(t1);
  });

  it("derive() makes a group with the same message and the given exceptions", () => {
    const cause = new Error("why");
    const eg = new ExceptionGroup("outer", [new Error("x")], { cause });
    const k = new Error("k");
    const d = eg.derive([k]);
    expect(d).toBeInstanceOf(ExceptionGroup);
    expect(d.message).toBe("outer");
    expect(d.exceptions).toEqual([k]);
    expect(d.cause).toBe(cause);
  });
});
