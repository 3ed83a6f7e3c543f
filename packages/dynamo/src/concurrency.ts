/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the results in input order.
 * Enough parallelism to hide round-trip latency, not so much that one caller floods the table (or
 * the local dynalite) and provokes throttling.
 *
 * @example
 * const written = await mapLimit(deliveries, 32, (d) => putOne(d));
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Splits a list into chunks of `size`.
 *
 * @example
 * chunk([1, 2, 3], 2); // [[1, 2], [3]]
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
