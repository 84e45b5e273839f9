/**
 * Python's `<` for the values a `PriorityQueue` orders without a `compare` option: numbers
 * (including bigints and booleans, which are ints in Python) with each other, strings by code
 * point, and arrays lexicographically as Python compares tuples. Anything else raises Python's
 * `TypeError`, naming JS types where CPython names Python ones.
 */
export function pyLess(a: unknown, b: unknown): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === "number" && tb === "number") return (a as number) < (b as number);
  if (ta === "string" && tb === "string") return strLess(a as string, b as string);
  if (isNumeric(ta) && isNumeric(tb)) return (a as number) < (b as number);
  if (Array.isArray(a) && Array.isArray(b)) return seqLess(a, b);
  throw new TypeError(
    `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

function isNumeric(t: string): boolean {
  return t === "number" || t === "bigint" || t === "boolean";
}

/** Python's tuple `<`: the first pair that is not `==` decides; else the shorter is less. */
function seqLess(a: readonly unknown[], b: readonly unknown[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!pyEq(x, y)) return pyLess(x, y);
  }
  return a.length < b.length;
}

/**
 * Python's `==` as tuple comparison uses it: identity, numeric value, element-wise for arrays,
 * and key-wise for plain objects (Python's dicts compare by value; class instances, like Python
 * objects, by identity).
 */
function pyEq(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  const tx = typeof x;
  const ty = typeof y;
  // Loose equality is exactly Python's for number/bigint/boolean pairs (1 == 1n == true).
  // biome-ignore lint/suspicious/noDoubleEquals: deliberate, see above.
  if (isNumeric(tx) && isNumeric(ty)) return x == y;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!pyEq(x[i], y[i])) return false;
    return true;
  }
  if (isPlainObject(x) && isPlainObject(y)) {
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) if (!Object.hasOwn(y, k) || !pyEq(x[k], y[k])) return false;
    return true;
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Python compares strings by code point; JS `<` compares UTF-16 code units, which disagree when
 * an astral character (a surrogate pair) meets one in U+E000–U+FFFF.
 */
function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca >= 0xd800 && cb >= 0xd800) {
        // Surrogates sort above the rest of the BMP, as the code points they encode do.
        ca += ca < 0xe000 ? 0x2000 : -0x800;
        cb += cb < 0xe000 ? 0x2000 : -0x800;
      }
      return ca < cb;
    }
  }
  return a.length < b.length;
}

/** The type name a comparison error shows: the JS type, or the object's constructor name. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" || typeof v === "function") {
    return (v as { constructor?: { name?: string } }).constructor?.name || typeof v;
  }
  return typeof v;
}
