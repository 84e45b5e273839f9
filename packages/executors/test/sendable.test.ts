import { afterAll, describe, expect, it } from "vitest";
import { inWorker, moduleFunction, ThreadPoolExecutor } from "../src/index.js";
import { JOBS_URL, rejection } from "./helpers.js";

// One pool for the whole file: most refusals happen before any worker is involved.
const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
afterAll(() => ex.shutdown());

function topLevel(x: number) {
  return x + 1;
}

async function asyncTopLevel(x: number) {
  await null;
  return x * 10;
}

function usesGlobals(s: string) {
  const probe = typeof window === "undefined" ? "node" : "browser";
  return [JSON.parse(s), Math.max(1, 2), typeof process.pid, probe, globalThis === undefined];
}

function withInnerFunctions(n: number) {
  let total = 0;
  const add = (k: number) => {
    total += k;
  };
  function loop() {
    for (let i = 1; i <= n; i++) add(i);
  }
  loop();
  class Box {
    value = total;
  }
  return new Box().value;
}

// Made with `new Function`: vitest rewrites a literal import() in this file to a helper of its
// own, which the closure check rightly refuses (see the next test).
const importsABuiltin = new Function(
  'return import("node:path").then(({ basename }) => basename("/a/b/c.txt"));',
) as () => Promise<string>;

async function transformedImport() {
  const { basename } = await import("node:path");
  return basename("/a/b/c.txt");
}

const factor = 3;
function closure(x: number) {
  return x * factor;
}

function helper() {
  return 1;
}
function callsHelper() {
  return helper() + 1;
}

function* generatorFn() {
  yield 1;
}

async function* asyncGeneratorFn() {
  yield 1;
}

class Klass {
  method() {
    return 1;
  }
  static create() {
    return new Klass();
  }
}

const objectWithMethod = {
  shorthand(x: number) {
    return x;
  },
  async asyncShorthand() {
    return 1;
  },
  get getter() {
    return 1;
  },
};

async function sent(fn: unknown, ...args: unknown[]): Promise<unknown> {
  return await ex.submit(fn as (...a: unknown[]) => unknown, ...args);
}

function refusal(fn: unknown): Error {
  try {
    ex.submit(fn as () => unknown);
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected submit() to refuse the function");
}

describe("what can be sent", () => {
  it("a top-level function declaration, async or not", async () => {
    expect(await sent(topLevel, 1)).toBe(2);
    expect(await sent(asyncTopLevel, 4)).toBe(40);
  });

  it("a self-contained arrow function or function expression", async () => {
    expect(await sent((a: number, b: number) => a * b, 6, 7)).toBe(42);
    expect(
      await sent(function named(n: number): number {
        return n <= 1 ? 1 : n * named(n - 1);
      }, 5),
    ).toBe(120);
  });

  it("a function using globals (and probing missing ones with typeof)", async () => {
    expect(await sent(usesGlobals, '{"a":1}')).toEqual([{ a: 1 }, 2, "number", "node", false]);
  });

  it("a function with its own inner functions and classes", async () => {
    expect(await sent(withInnerFunctions, 4)).toBe(10);
  });

  it("a function that imports modules with dynamic import()", async () => {
    expect(await sent(importsABuiltin)).toBe("c.txt");
  });

  it("but not once a source transform made it a closure (vitest's import() helper)", () => {
    expect(refusal(transformedImport).message).toMatch(
      /^cannot send `transformedImport` to a worker: it refers to `__vite_ssr_dynamic_import__` from an enclosing scope/,
    );
  });

  it("an export, by moduleFunction(url, name) or by { url, name }", async () => {
    const fib = moduleFunction<(n: number) => number>(JOBS_URL, "fib");
    expect(fib.name).toBe("fib");
    expect(await ex.submit(fib, 10)).toBe(55);
    expect(await ex.submit({ url: JOBS_URL, name: "addSecret" }, 1)).toBe(8);
    expect(await ex.submit({ url: new URL(JOBS_URL), name: "fib" }, 7)).toBe(13);
  });

  it("compiles a function once per worker (cached by source text)", async () => {
    function counter() {
      const g = globalThis as { __asyncioTsCompiles?: number };
      g.__asyncioTsCompiles = (g.__asyncioTsCompiles ?? 0) + 1;
      return g.__asyncioTsCompiles;
    }
    expect(await sent(counter)).toBe(1);
    expect(await sent(counter)).toBe(2);
  });

  it("inWorker() is false here and true in a worker", async () => {
    function check() {
      return (globalThis as Record<symbol, unknown>)[Symbol.for("@asyncio-ts/executors.inWorker")];
    }
    expect(inWorker()).toBe(false);
    expect(await sent(check)).toBe(true);
  });
});

describe("what is refused, with a TypeError at the call that says why", () => {
  it("a bound function", () => {
    const e = refusal(topLevel.bind(null, 1));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "cannot send `bound topLevel` to a worker: it is a bound function (made with .bind()), " +
        "whose source code is not available; send the original function and pass the bound " +
        "values as arguments: submit(f, a, b)",
    );
  });

  it("a native function", () => {
    const e = refusal(Math.max);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      'cannot send `max` to a worker: it is a native function (its source is "[native code]"); ' +
        "call it from a function of your own, e.g. function max(a, b) { return Math.max(a, b); }",
    );
  });

  it("a method shorthand (object literal or class)", () => {
    const e = refusal(objectWithMethod.shorthand);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "cannot send `shorthand` to a worker: it is a method (`shorthand(…) {…}` in an object " +
        "literal or class), whose source does not compile on its own; declare it as a " +
        "top-level `function shorthand(…) {…}`, or export it and use " +
        'moduleFunction(import.meta.url, "shorthand")',
    );
    expect(refusal(objectWithMethod.asyncShorthand).message).toMatch(
      /^cannot send `asyncShorthand` to a worker: it is a method \(`async asyncShorthand\(…\) \{…\}`/,
    );
    const getter = Object.getOwnPropertyDescriptor(objectWithMethod, "getter")!.get!;
    expect(refusal(getter).message).toMatch(
      /^cannot send `get getter` to a worker: it is a method/,
    );
    expect(refusal(Klass.prototype.method).message).toMatch(/it is a method \(`method\(…\) \{…\}`/);
    expect(refusal(Klass.create).message).toMatch(/it is a method/);
  });

  it("a closure over local variables, naming them", () => {
    const e = refusal(closure);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "cannot send `closure` to a worker: it refers to `factor` from an enclosing scope (a " +
        "closure), but a function sent to a worker is compiled there from its source alone; " +
        "pass those values as arguments, move them inside the function, or export it and use " +
        'moduleFunction(import.meta.url, "closure")',
    );
    expect(refusal(callsHelper).message).toMatch(/it refers to `helper` from an enclosing scope/);
    const a = 1;
    const b = 2;
    expect(refusal((x: number) => x + a + b).message).toMatch(
      /^cannot send an anonymous function to a worker: it refers to `a`, `b` from an enclosing scope/,
    );
    expect(refusal(() => require("node:fs")).message).toMatch(/it refers to `require`/);
  });

  it("an arrow function using the enclosing `this`", () => {
    const self = {
      make() {
        return () => this;
      },
    };
    expect(refusal(self.make()).message).toMatch(
      /^cannot send an anonymous function to a worker: it is an arrow function that uses `this`/,
    );
  });

  it("a class", () => {
    const e = refusal(Klass);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "cannot send `Klass` to a worker: it is a class, and a worker calls functions, not " +
        "constructors; send a function that builds the object and returns plain data, or export " +
        "one and use moduleFunction(url, name)",
    );
  });

  it("a generator function (sync or async)", () => {
    for (const g of [generatorFn, asyncGeneratorFn]) {
      const e = refusal(g);
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(
        /^cannot send `(generatorFn|asyncGeneratorFn)` to a worker: it is a generator function \(an asyncio-ts coroutine\?\)/,
      );
    }
  });

  it("something that is not a function", () => {
    for (const v of [42, "f", null, undefined, {}, { url: JOBS_URL }]) {
      const e = refusal(v);
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^a function or a module reference was expected, got /);
    }
    expect(refusal(42).message).toBe(
      "a function or a module reference was expected, got 42: send a self-contained function, " +
        "moduleFunction(url, name) or { url, name }",
    );
  });

  it("a bad module reference", () => {
    expect(() => moduleFunction("./jobs.mjs", "fib")).toThrow(
      'moduleFunction(): a module reference needs an absolute module URL, e.g. import.meta.url or new URL("./jobs.js", import.meta.url); got "./jobs.mjs"',
    );
    expect(() => moduleFunction("https://example.com/jobs.mjs", "fib")).toThrow(
      'moduleFunction(): workers import modules with Node, which loads file:, data: and node: URLs; got "https://example.com/jobs.mjs"',
    );
    expect(() => moduleFunction(new URL("./missing.mjs", JOBS_URL), "fib")).toThrow(
      /^moduleFunction\(\): no module file at .*fixtures\/missing\.mjs$/,
    );
    expect(() => moduleFunction(JOBS_URL, "")).toThrow(
      'moduleFunction(): a module reference needs the export\'s name as a non-empty string, got ""',
    );
    expect(() => moduleFunction(JOBS_URL, 3 as unknown as string)).toThrow(TypeError);
    expect(refusal({ url: "jobs.mjs", name: "fib" }).message).toMatch(
      /^module reference: a module reference needs an absolute module URL/,
    );
    for (const bad of [
      () => moduleFunction("./jobs.mjs", "fib"),
      () => moduleFunction(JOBS_URL, ""),
    ]) {
      expect(bad).toThrow(TypeError);
    }
  });

  it("a module reference to a missing export fails its job with a TypeError", async () => {
    const missing = moduleFunction(JOBS_URL, "nope");
    const e = (await rejection(ex.submit(missing))) as Error;
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(
      /^file:\/\/.*\/fixtures\/jobs\.mjs has no exported function `nope` \(job #\d+ \(nope\)\); its exported functions: .*block.*fib/,
    );
    const notFn = (await rejection(ex.submit(moduleFunction(JOBS_URL, "notAFunction")))) as Error;
    expect(notFn).toBeInstanceOf(TypeError);
    expect(notFn.message).toMatch(/has no exported function `notAFunction`/);
  });

  it("calling a moduleFunction() stand-in directly", () => {
    const fib = moduleFunction<(n: number) => number>(JOBS_URL, "fib");
    expect(() => fib(3)).toThrow(TypeError);
    expect(() => fib(3)).toThrow(
      /is a module reference \(moduleFunction\(\)\): it runs in an executor/,
    );
  });

  it("after shutdown, RuntimeError comes first (as CPython checks shutdown first)", async () => {
    const other = new ThreadPoolExecutor({ maxWorkers: 1 });
    await other.shutdown();
    expect(() => other.submit(Math.max)).toThrow("cannot schedule new futures after shutdown");
  });
});
