/**
 * Pure unit tests (no sandbox): webhook signatures, schemas, pagination helpers, options.
 */
import { createHmac } from "node:crypto"
import {
  TradegeckoClient,
  TradegeckoConfigurationError,
  VariantSchema,
  WebhookNotificationSchema,
  chunk,
  decimalOr,
  isLastPage,
  parseDecimal,
  parsePaginationHeader,
  parseResourceUrl,
  parseTags,
  parseWebhookNotification,
  serializeParams,
  verifyWebhookSignature,
  normalizeExpiresAt,
  parseRateLimitHeaders,
} from ".."

describe("TradeGecko client: units", () => {
  describe("verifyWebhookSignature", () => {
    const secret = "app-secret-123"
    const body = JSON.stringify({
      object_id: 1234567,
      event: "fulfillment.create",
      timestamp: 1546272000,
      resource_url: "https://api.tradegecko.com/fulfillments/1234567.json",
    })
    const signature = createHmac("sha256", secret).update(body).digest("base64")

    it("accepts the right secret and body (string and Buffer)", () => {
      expect(verifyWebhookSignature(body, signature, secret)).toBe(true)
      expect(verifyWebhookSignature(Buffer.from(body), signature, secret)).toBe(true)
      // Ruby's Base64.encode64(...).strip — surrounding whitespace is tolerated
      expect(verifyWebhookSignature(body, `${signature}\n`, secret)).toBe(true)
    })

    it("rejects a tampered body, a wrong secret and malformed headers", () => {
      expect(verifyWebhookSignature(body.replace("1234567", "1234568"), signature, secret)).toBe(false)
      expect(verifyWebhookSignature(body, signature, "other-secret")).toBe(false)
      expect(verifyWebhookSignature(body, "", secret)).toBe(false)
      expect(verifyWebhookSignature(body, undefined, secret)).toBe(false)
      expect(verifyWebhookSignature(body, "not base64 !!", secret)).toBe(false)
      // hex digest of the right HMAC is NOT accepted (TradeGecko sends base64)
      expect(verifyWebhookSignature(body, createHmac("sha256", secret).update(body).digest("hex"), secret)).toBe(false)
      expect(verifyWebhookSignature(body, signature, "")).toBe(false)
    })

    it("parses the notification and its resource_url", () => {
      const n = parseWebhookNotification(body)
      expect(n).toMatchObject({ object_id: 1234567, event: "fulfillment.create", timestamp: 1546272000 })
      expect(parseResourceUrl(n.resource_url)).toEqual({ resource: "fulfillments", id: 1234567 })
      expect(WebhookNotificationSchema.safeParse({ event: "x" }).success).toBe(false)
      // unknown fields pass through
      expect(parseWebhookNotification({ ...JSON.parse(body), extra: 1 })).toHaveProperty("extra", 1)
    })
  })

  describe("schemas", () => {
    it("keeps decimals as strings, tolerating numbers and null, and passes unknown fields", () => {
      const v = VariantSchema.parse({
        id: 1,
        product_id: 2,
        retail_price: "149.0",
        stock_on_hand: 30,
        committed_stock: null,
        locations: [{ location_id: 1, stock_on_hand: "30", committed: null, incoming: 0 }],
        stock_levels: { "1": "30.0" },
        manage_stock: 1,
        brand_new_field: { a: 1 },
      })
      expect(v.retail_price).toBe("149.0")
      expect(v.stock_on_hand).toBe("30")
      expect(v.committed_stock).toBeNull()
      expect(v.locations?.[0].incoming).toBe("0")
      expect(v.manage_stock).toBe(true)
      expect((v as Record<string, unknown>).brand_new_field).toEqual({ a: 1 })
      expect(parseDecimal(v.retail_price)).toBe(149)
      expect(parseDecimal("abc")).toBeNull()
      expect(decimalOr(null, 5)).toBe(5)
      expect(parseTags("candy, chocolate,")).toEqual(["candy", "chocolate"])
      expect(parseTags(["a"])).toEqual(["a"])
    })
  })

  describe("pagination helpers", () => {
    it("parses X-Pagination with or without totals", () => {
      expect(
        parsePaginationHeader(
          '{"total_records":5,"total_pages":1,"first_page":true,"last_page":true,"out_of_bounds":false,"offset":0}'
        )
      ).toMatchObject({ total_records: 5, last_page: true })
      expect(parsePaginationHeader('{"first_page":true,"last_page":false,"out_of_bounds":false,"offset":0}')).toEqual({
        first_page: true,
        last_page: false,
        out_of_bounds: false,
        offset: 0,
      })
      expect(parsePaginationHeader("not json")).toBeUndefined()
      expect(parsePaginationHeader(undefined)).toBeUndefined()
    })

    it("decides the last page from last_page, totals, empty pages, or a short page without header", () => {
      expect(isLastPage({ page: 1, limit: 10, itemCount: 10, pagination: { last_page: false } })).toBe(false)
      expect(isLastPage({ page: 1, limit: 10, itemCount: 10, pagination: { last_page: true } })).toBe(true)
      expect(isLastPage({ page: 2, limit: 10, itemCount: 0, pagination: { last_page: false } })).toBe(true)
      expect(isLastPage({ page: 3, limit: 10, itemCount: 10, pagination: { total_pages: 3 } })).toBe(true)
      expect(isLastPage({ page: 1, limit: 10, itemCount: 4, pagination: undefined })).toBe(true)
      expect(isLastPage({ page: 1, limit: 10, itemCount: 10, pagination: undefined })).toBe(false)
    })

    it("serialises ids[] with literal brackets, *_id and include as comma lists, drops blanks", () => {
      expect(serializeParams({ ids: [1, 2], include: "variants", page: 2, q: "", x: undefined })).toBe(
        "ids[]=1&ids[]=2&include=variants&page=2"
      )
      expect(serializeParams({ product_id: [1, 2], status: ["draft", "active"] })).toBe(
        "product_id=1,2&status[]=draft&status[]=active"
      )
      expect(serializeParams({ updated_at_min: new Date("2020-01-02T03:04:05.000Z") })).toBe(
        "updated_at_min=2020-01-02T03:04:05.000Z"
      )
      expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    })

    it("parses rate-limit headers", () => {
      expect(
        parseRateLimitHeaders({
          "x-rate-limit-limit": "300",
          "x-rate-limit-remaining": "299",
          "x-rate-limit-reset": "1426153200",
        })
      ).toEqual({ limit: 300, remaining: 299, reset: 1426153200 })
      expect(parseRateLimitHeaders({})).toBeUndefined()
    })
  })

  describe("client options", () => {
    it("validates constructor options with clear messages", () => {
      expect(
        () => new TradegeckoClient({ baseUrl: "ftp://x", auth: { type: "privileged", accessToken: "t" } })
      ).toThrow(TradegeckoConfigurationError)
      expect(() => new TradegeckoClient({ auth: { type: "privileged", accessToken: "" } } as never)).toThrow(
        /auth.accessToken/
      )
      expect(
        () =>
          new TradegeckoClient({
            auth: {
              type: "oauth",
              clientId: "a",
              clientSecret: "b",
              tokens: { accessToken: "x", refreshToken: "y", expiresAt: "never" },
            },
          })
      ).toThrow(/expiresAt/)
      const c = new TradegeckoClient({
        baseUrl: "http://127.0.0.1:4010/",
        auth: { type: "privileged", accessToken: "t" },
      })
      expect(c.baseUrl).toBe("http://127.0.0.1:4010")
      expect(c.options).toMatchObject({ concurrency: 4, maxRetries: 4, timeoutMs: 30000 })
      expect(normalizeExpiresAt(1_700_000_000)).toBe(1_700_000_000_000)
      expect(normalizeExpiresAt("2020-01-01T00:00:00Z")).toBe(Date.UTC(2020, 0, 1))
      void c.close()
    })
  })
})
