/** See ensure-chromium.mjs. */
export function findChromium(): string | null;
export function ensureChromium(): boolean;
