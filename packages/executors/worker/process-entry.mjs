// tinypool's task handler for ProcessPoolExecutor (see run-job.mjs).
import { runJob } from "./run-job.mjs";

export default function processJob(job) {
  return runJob(job);
}
