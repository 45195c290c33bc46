/**
 * Like `Promise.all`, but waits for every write to finish before throwing the first
 * failure: Lambda freezes the container once the answer is out, and a write still in
 * flight would land at some later thaw, after the vendor's retry.
 */
export async function allSettled<T extends readonly unknown[]>(
  writes: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
