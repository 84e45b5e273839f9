// Piscina's task handler for ThreadPoolExecutor (see run-job.mjs).
import { move } from "piscina";
import { runJob } from "./run-job.mjs";

// Below this size, copying the reply costs less than transferring its buffer.
const TRANSFER_FROM = 64 * 1024;

export default async function threadJob(job) {
  const reply = await runJob(job);
  return reply instanceof Uint8Array && reply.byteLength >= TRANSFER_FROM ? move(reply) : reply;
}
