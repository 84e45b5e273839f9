// Piscina's worker for rows 10 and 11 when Piscina is used directly: the task is `[a, b]`.
function add(a: number, b: number): number {
  return a + b;
}

export default function task(m: [number, number]): number {
  return add(m[0], m[1]);
}
