/**
 * Reads a response body as text, refusing bodies larger than `maxBytes` (the stream is
 * cancelled as soon as the limit is passed, so a hostile server cannot fill memory).
 * Returns `null` when the body is too large. The library reads every body through it; apps can
 * too, for the answers of `blueprint.fetch()`.
 * @publicApi
 */
export async function readLimitedBody(
  response: Response,
  maxBytes: number,
): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
