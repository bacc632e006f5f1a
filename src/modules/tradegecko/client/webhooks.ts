/**
 * Webhook helpers. TradeGecko POSTs a thin JSON notification
 * (`{object_id, event, timestamp, resource_url}`) with headers `X-Gecko-Delivery` and
 * `X-Gecko-Signature` = Base64(HMAC-SHA256(key = OAuth application secret, raw body)).
 * Verify against the RAW request body bytes — re-serialised JSON will not match.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { WebhookNotificationSchema, type WebhookNotification } from "./schemas"

export const WEBHOOK_SIGNATURE_HEADER = "x-gecko-signature"
export const WEBHOOK_DELIVERY_HEADER = "x-gecko-delivery"

/** Base64 HMAC-SHA256 of the raw body (what TradeGecko puts in X-Gecko-Signature). */
export function computeWebhookSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64")
}

/**
 * True when `signatureHeader` is the Base64 HMAC-SHA256 of `rawBody` under `secret`.
 * Constant-time comparison; false (never throws) for a missing/malformed header or empty secret.
 */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  signatureHeader: string | string[] | undefined | null,
  secret: string
): boolean {
  if (!secret) return false
  const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader
  if (typeof header !== "string") return false
  const provided = header.trim()
  if (provided.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(provided)) return false
  const expected = Buffer.from(computeWebhookSignature(rawBody, secret), "utf8")
  const actual = Buffer.from(provided, "utf8")
  if (actual.length !== expected.length) return false
  return timingSafeEqual(actual, expected)
}

/** Validates a notification body (object or raw JSON). Throws a ZodError / SyntaxError when invalid. */
export function parseWebhookNotification(body: unknown): WebhookNotification {
  const value = typeof body === "string" || Buffer.isBuffer(body) ? JSON.parse(body.toString()) : body
  return WebhookNotificationSchema.parse(value)
}

/**
 * Splits a `resource_url` such as `https://api.tradegecko.com/fulfillments/123.json` into
 * `{ resource: "fulfillments", id: 123 }` so it can be fetched through the client (and its
 * configured base URL) instead of calling the URL directly.
 */
export function parseResourceUrl(resourceUrl: string): { resource: string; id: number } | undefined {
  let pathname: string
  try {
    pathname = new URL(resourceUrl, "http://placeholder.invalid").pathname
  } catch {
    return undefined
  }
  const match = /^\/?(?:.*\/)?([a-z_]+)\/(\d+)(?:\.json)?\/?$/.exec(pathname)
  if (!match) return undefined
  return { resource: match[1], id: Number(match[2]) }
}
