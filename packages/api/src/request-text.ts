import { charsetOf, decodeText } from "@bulletin/core";
import type { Context } from "hono";

/**
 * A text body (CSV, SES events) as text: its declared charset first, else `fallback` when given (SES
 * events are JSON, UTF-8 by definition), else UTF-8 or GB18030/GBK by its bytes (core's decodeText);
 * anything else is refused (400), never stored with U+FFFD in it.
 *
 * @example
 * const csv = await requestText(c); // a GBK CSV from Excel reads as it was typed
 */
export async function requestText(c: Context, fallback?: "utf-8"): Promise<string> {
  return decodeText(new Uint8Array(await c.req.arrayBuffer()), {
    charset: charsetOf(c.req.header("content-type")) ?? fallback,
  }).text;
}
