/**
 * Sends an oversized request and says how it was refused: "413" (the answer was read), or
 * "closed" — the server answers 413 as soon as it knows the body is too large and stops reading,
 * so a client still uploading may find the connection closed before it reads that answer
 * (undici: "other side closed", EPIPE, ECONNRESET). Either way nothing past the limit was read;
 * anything else is returned as the response for the caller to fail on.
 *
 * @example
 * expect(await refusedAsTooLarge(() => fetch(url, { method: "POST", body: huge }))).toBe("413");
 */
export async function refusedAsTooLarge(call: () => Promise<Response>): Promise<"413" | "closed" | Response> {
  try {
    const res = await call();
    if (res.status !== 413) return res;
    const body = (await res.json()) as { error?: string };
    return body.error === "too-large" ? "413" : res;
  } catch (e) {
    const text = `${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? "")}`;
    if (/other side closed|EPIPE|ECONNRESET|socket hang up|terminated/i.test(text)) return "closed";
    throw e;
  }
}
