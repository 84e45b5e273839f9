import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "acorn";
import { describeValue } from "./util.js";

/** The part of eslint-scope 8's API used here. */
interface EslintScope {
  analyze(
    ast: unknown,
    options: { ecmaVersion: number; sourceType: "script"; fallback: "iteration" },
  ): { globalScope: { through: { identifier: { name: string } }[] } };
}
// eslint-scope 8 ships no types; loading it through require() keeps an ambient module
// declaration out of every program that compiles this file from source.
const { analyze } = createRequire(import.meta.url)("eslint-scope") as EslintScope;

/**
 * A reference to an exported function of an ES module, `{ url, name }` (Python pickles a function
 * as its module and name). The worker imports the module with plain Node and calls the export, so
 * anything exported can be sent, closures included. {@link moduleFunction} makes a typed one.
 * @example
 * import { type ModuleReference, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * const basename: ModuleReference = { url: "node:path", name: "basename" };
 * const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
 * console.log(await ex.submit(basename, "/a/b.txt")); // b.txt
 * await ex.shutdown();
 */
export interface ModuleReference {
  /** An absolute `file:` (or `data:`/`node:`) URL, e.g. `import.meta.url`, or an absolute path. */
  readonly url: string | URL;
  /** The export's name. */
  readonly name: string;
}

/** @internal What a job carries to name the function a worker runs. */
export type Callable =
  | { kind: "source"; source: string; globals: string[]; fnName: string }
  | { kind: "module"; url: string; name: string; fnName: string };

const MODULE_REFERENCE = Symbol.for("@asyncio-ts/executors.moduleReference");

interface CheckedReference {
  url: string;
  name: string;
}

function checkModuleReference(url: unknown, name: unknown, where: string): CheckedReference {
  let href: string;
  if (url instanceof URL) {
    href = url.href;
  } else if (typeof url === "string" && isAbsolute(url)) {
    href = pathToFileURL(url).href;
  } else if (typeof url === "string" && URL.canParse(url)) {
    href = new URL(url).href;
  } else {
    throw new TypeError(
      `${where}: a module reference needs an absolute module URL, e.g. import.meta.url or ` +
        `new URL("./jobs.js", import.meta.url); got ${describeValue(url)}`,
    );
  }
  const protocol = href.slice(0, href.indexOf(":") + 1);
  if (protocol !== "file:" && protocol !== "data:" && protocol !== "node:") {
    throw new TypeError(
      `${where}: workers import modules with Node, which loads file:, data: and node: URLs; ` +
        `got ${JSON.stringify(href)}`,
    );
  }
  if (protocol === "file:") {
    const path = fileURLToPath(href);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
      throw new TypeError(`${where}: no module file at ${path}`);
    }
  }
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `${where}: a module reference needs the export's name as a non-empty string, got ` +
        describeValue(name),
    );
  }
  return { url: href, name };
}

/**
 * asyncio-ts's way to send any exported function to a worker (Python pickles functions by
 * module and name): a stand-in for export `name` of the ES module at `url`, typed as `F`. Submit
 * it like the function itself; the worker imports the module and calls the export. Calling the
 * stand-in directly throws. The module is imported with plain Node in each worker, so it must
 * be JavaScript (or run under a loader that workers inherit), and its top-level code runs there
 * too: guard a main module's start-up with `if (!inWorker())`.
 * @example
 * import { moduleFunction, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * // jobs.mjs: export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * const fib = moduleFunction<(n: number) => number>(new URL("./jobs.mjs", import.meta.url), "fib");
 * const ex = new ThreadPoolExecutor();
 * console.log(await ex.submit(fib, 20)); // 6765
 * await ex.shutdown();
 */
export function moduleFunction<F extends (...args: any[]) => any = (...args: any[]) => unknown>(
  url: string | URL,
  name: string,
): F {
  const ref = checkModuleReference(url, name, "moduleFunction()");
  const stub = () => {
    throw new TypeError(
      `\`${ref.name}\` of ${ref.url} is a module reference (moduleFunction()): it runs in an ` +
        "executor (submit, map, toThread, runInExecutor); import the module to call it here",
    );
  };
  Object.defineProperty(stub, "name", { value: ref.name });
  Object.defineProperty(stub, MODULE_REFERENCE, { value: ref });
  return stub as unknown as F;
}

/** @internal The reference behind a `moduleFunction()` stand-in or a `{ url, name }` object. */
export function asModuleReference(fn: unknown): CheckedReference | null {
  if (typeof fn === "function") {
    return ((fn as unknown as Record<symbol, CheckedReference | undefined>)[MODULE_REFERENCE] ??
      null) as CheckedReference | null;
  }
  if (typeof fn === "object" && fn !== null && "url" in fn && "name" in fn) {
    const { url, name } = fn as { url: unknown; name: unknown };
    return checkModuleReference(url, name, "module reference");
  }
  return null;
}

const prepared = new WeakMap<object, Callable>();

/**
 * @internal Checks that `fn` can run in a worker and says how to ship it; throws a `TypeError`
 * naming the reason otherwise. Cached per function object and per source text.
 */
export function prepareCallable(fn: unknown): Callable {
  if ((typeof fn === "function" || typeof fn === "object") && fn !== null) {
    const hit = prepared.get(fn);
    if (hit !== undefined) return hit;
  }
  const ref = asModuleReference(fn);
  let callable: Callable;
  if (ref !== null) {
    callable = { kind: "module", url: ref.url, name: ref.name, fnName: ref.name };
  } else if (typeof fn === "function") {
    callable = prepareFunction(fn);
  } else {
    throw new TypeError(
      `a function or a module reference was expected, got ${describeValue(fn)}: send a ` +
        "self-contained function, moduleFunction(url, name) or { url, name }",
    );
  }
  prepared.set(fn as object, callable);
  return callable;
}

const NATIVE_SOURCE = /\{\s*\[native code\]\s*\}\s*$/;

function prepareFunction(fn: Function): Callable {
  const fnName = typeof fn.name === "string" ? fn.name : "";
  const refuse = (why: string) =>
    new TypeError(
      `cannot send ${fnName ? `\`${fnName}\`` : "an anonymous function"} to a worker: ${why}`,
    );
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    throw refuse("its source code is not available");
  }
  if (NATIVE_SOURCE.test(source)) {
    if (fnName.startsWith("bound ")) {
      throw refuse(
        "it is a bound function (made with .bind()), whose source code is not available; send " +
          "the original function and pass the bound values as arguments: submit(f, a, b)",
      );
    }
    throw refuse(
      'it is a native function (its source is "[native code]"); call it from a function of ' +
        "your own, e.g. function max(a, b) { return Math.max(a, b); }",
    );
  }
  if (/^class\b/.test(source)) {
    throw refuse(
      "it is a class, and a worker calls functions, not constructors; send a function that " +
        "builds the object and returns plain data, or export one and use moduleFunction(url, name)",
    );
  }
  const analysis = analyzeSource(source, fnName);
  if (typeof analysis === "string") throw refuse(analysis);
  return { kind: "source", source, globals: analysis, fnName };
}

const MAX_ANALYSES = 256;
/** Source text → the free globals it uses, or why it cannot be sent. */
const analyses = new Map<string, string[] | string>();

function analyzeSource(source: string, fnName: string): string[] | string {
  let analysis = analyses.get(source);
  if (analysis === undefined) {
    analysis = analyze1(source, fnName);
    if (analyses.size >= MAX_ANALYSES) analyses.delete(analyses.keys().next().value as string);
    analyses.set(source, analysis);
  }
  return analysis;
}

interface Node {
  type: string;
  [key: string]: unknown;
}

function parses(code: string): boolean {
  try {
    parse(code, { ecmaVersion: "latest", sourceType: "script" });
    return true;
  } catch {
    return false;
  }
}

function analyze1(source: string, fnName: string): string[] | string {
  const exportHint = `export it and use moduleFunction(import.meta.url, ${JSON.stringify(fnName || "name")})`;
  let program: Node;
  try {
    // The worker compiles exactly this text, so this parse is what the worker will see.
    program = parse(`"use strict";(${source}\n)`, {
      ecmaVersion: "latest",
      sourceType: "script",
      ranges: true,
    }) as unknown as Node;
  } catch (e) {
    if (parses(`({${source}\n})`) || parses(`(class {${source}\n})`)) {
      const head = source.slice(0, source.indexOf("(") + 1).trim();
      return (
        `it is a method (\`${head}…) {…}\` in an object literal or class), whose source does ` +
        `not compile on its own; declare it as a top-level \`function ${fnName || "f"}(…) {…}\`, ` +
        `or ${exportHint}`
      );
    }
    return (
      `its source does not compile on its own (${(e as Error).message}); send a top-level ` +
      `function declaration, or ${exportHint}`
    );
  }
  const body = program.body as Node[];
  const expr = (body[1] as Node | undefined)?.expression as Node | undefined;
  if (
    body.length !== 2 ||
    expr === undefined ||
    (expr.type !== "FunctionExpression" && expr.type !== "ArrowFunctionExpression")
  ) {
    return `its source does not read as one function; send a top-level function declaration, or ${exportHint}`;
  }
  if (expr.generator === true) {
    return (
      "it is a generator function (an asyncio-ts coroutine?), and a generator cannot be sent " +
      "back from a worker; run coroutines on the loop (createTask), and send plain or async " +
      "functions to workers"
    );
  }
  const typeofOperands = new Set<unknown>();
  walk(program, (node) => {
    if (node.type === "UnaryExpression" && node.operator === "typeof") {
      const arg = node.argument as Node;
      if (arg.type === "Identifier") typeofOperands.add(arg);
    }
  });
  const free = new Set<string>();
  for (const ref of analyze(program, {
    ecmaVersion: 2022,
    sourceType: "script",
    fallback: "iteration",
  }).globalScope.through) {
    // `typeof x` of a missing global is how code probes its environment, not a closure.
    if (!typeofOperands.has(ref.identifier)) free.add(ref.identifier.name);
  }
  const outer = [...free].filter((name) => !(name in globalThis));
  if (outer.length > 0) {
    const names = outer
      .slice(0, 5)
      .map((n) => `\`${n}\``)
      .join(", ");
    return (
      `it refers to ${names}${outer.length > 5 ? ", …" : ""} from an enclosing scope (a ` +
      "closure), but a function sent to a worker is compiled there from its source alone; " +
      `pass those values as arguments, move them inside the function, or ${exportHint}`
    );
  }
  if (expr.type === "ArrowFunctionExpression" && usesOuterThis(expr.body as Node)) {
    return (
      "it is an arrow function that uses `this`, `super` or `new.target` of its enclosing " +
      "scope (a closure); pass the values it needs as arguments"
    );
  }
  return [...free];
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === "object" && "type" in x) out.push(x);
    } else if (v !== null && typeof v === "object" && "type" in v) {
      out.push(v as Node);
    }
  }
  return out;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

function usesOuterThis(node: Node): boolean {
  switch (node.type) {
    case "ThisExpression":
    case "Super":
      return true;
    case "MetaProperty":
      return true;
    case "FunctionExpression":
    case "FunctionDeclaration":
      return false;
    case "ClassExpression":
    case "ClassDeclaration":
      // Only the heritage clause sees the outer `this`; methods and fields have their own.
      return node.superClass != null && usesOuterThis(node.superClass as Node);
    default:
      return children(node).some(usesOuterThis);
  }
}

/**
 * asyncio-ts extension (Python's `if __name__ == "__main__":` guard): `true` in the worker
 * threads and child processes of this package's executors. A module used through
 * {@link moduleFunction} is imported in each worker, top-level code included, so a main module
 * that also exports jobs starts its program only `if (!inWorker())`.
 * @example
 * import { inWorker } from "@asyncio-ts/executors";
 * export function double(x: number) {
 *   return 2 * x;
 * }
 * if (!inWorker()) {
 *   console.log("main program starts here");
 * }
 */
export function inWorker(): boolean {
  return (
    (globalThis as Record<symbol, unknown>)[Symbol.for("@asyncio-ts/executors.inWorker")] === true
  );
}
