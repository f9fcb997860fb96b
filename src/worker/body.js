// Reading a request body in JavaScript, up to a limit: `request.bytes()`
// would buffer all of a chunked body, however large, before any check.

/**
 * The body of `request` as one Uint8Array (empty when it has none), or null
 * as soon as more than `limit` bytes came: then the stream is cancelled and
 * the rest never read. Rejects if the stream fails.
 */
export async function readBody(request, limit) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks, length);
    length += value.byteLength;
    if (length > limit) {
      // Not awaited: the answer need not wait for the client's side to close.
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

function concat(chunks, length) {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
