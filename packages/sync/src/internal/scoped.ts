export { badBodyResult, checkBody, isAwaitable } from "@asyncio-ts/core/shared";
