/**
 * Sets `cause` on an error raised while handling another to the one it was handling, as
 * Python sets `__context__`; an error that already has a cause keeps it.
 */
export function chainError(raised: unknown, handled: unknown): void {
  if (raised === handled || !(raised instanceof Error) || Object.hasOwn(raised, "cause")) return;
  Object.defineProperty(raised, "cause", {
    value: handled,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
