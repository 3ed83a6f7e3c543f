/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the results in input order.
 * Enough parallelism to hide round-trip latency (a Lambda's DynamoDB and SES calls), not so much
 * that one caller floods a table or an emulator.
 *
 * @example
 * const written = await mapLimit(deliveries, 32, (d) => putOne(d));
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
