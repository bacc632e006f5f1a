import validateOptionsLoader from "../loaders/validate-options"
import { credentialKind, parseOptions } from "../options"

describe("Module options", () => {
  it("applies defaults and strips keys Medusa injects (e.g. database)", () => {
    const options = parseOptions({
      privilegedToken: "t",
      database: { clientUrl: "postgres://user:secret@host/db" },
    })
    expect(options).toEqual({
      baseUrl: "https://api.tradegecko.com",
      privilegedToken: "t",
      locationMap: {},
      productSyncSchedule: "0 * * * *",
      checkoutFreshnessSeconds: 300,
      orderSyncLevel: "push_and_status",
      checkoutGuard: true,
      checkoutWhenUnreachable: "allow",
      orderReconcileSchedule: "*/5 * * * *",
      autoFinalizeOrders: false,
      autoFinalizePriceThreshold: 0.97,
      cancelPaidOrdersOnVoid: false,
      rateLimitCheckoutShare: 30,
      importHeapHeadroomMb: 160,
      requestTimeoutSeconds: 30,
      webhookCheckSchedule: "*/15 * * * *",
    })
    expect(JSON.stringify(options)).not.toContain("secret")
  })

  it("priceLists: currency codes are lower-cased", () => {
    expect(parseOptions({ priceLists: { USD: "retail", eur: "12" } }).priceLists).toEqual({ usd: "retail", eur: "12" })
  })

  it("trims a trailing slash from URLs", () => {
    expect(parseOptions({ baseUrl: "http://127.0.0.1:4010/" }).baseUrl).toBe("http://127.0.0.1:4010")
  })

  it.each([
    [{ baseUrl: "not-a-url" }, "baseUrl"],
    [{ baseUrl: "ftp://example.com" }, "baseUrl"],
    [{ checkoutFreshnessSeconds: -5 }, "checkoutFreshnessSeconds: must be 0 or more seconds"],
    [{ checkoutFreshnessSeconds: "300" }, "checkoutFreshnessSeconds"],
    [{ orderSyncLevel: "everything" }, "orderSyncLevel"],
    [{ cancelPaidOrdersOnVoid: "yes" }, "cancelPaidOrdersOnVoid"],
    [{ productSyncSchedule: "hourly" }, 'productSyncSchedule: must be "off" or a cron expression'],
    [{ productSyncSchedule: "99 * * * *" }, "productSyncSchedule: is not a valid cron expression"],
    [{ locationMap: { "1": "" } }, "locationMap.1"],
    [{ webhookBaseUrl: "example.com/hooks" }, "webhookBaseUrl"],
    [{ orderSyncFrom: "last tuesday" }, "orderSyncFrom: must be an ISO date"],
    [{ checkoutWhenUnreachable: "maybe" }, "checkoutWhenUnreachable"],
    [{ orderReconcileSchedule: "every 5 minutes" }, 'orderReconcileSchedule: must be "off" or a cron expression'],
    [{ autoFinalizeOrders: "yes" }, "autoFinalizeOrders"],
    [{ autoFinalizePriceThreshold: 1.5 }, "autoFinalizePriceThreshold: must be between 0 and 1"],
    [{ requestTimeoutSeconds: 0 }, "requestTimeoutSeconds: must be 1 second or more"],
    [{ priceLists: { dollars: "retail" } }, 'priceLists: "dollars" is not a 3-letter ISO currency code'],
    [{ priceLists: {} }, "priceLists: must map at least one currency"],
    [{ priceLists: { usd: "" } }, "priceLists.usd"],
    [{ salesChannelId: "" }, "salesChannelId"],
    [{ privilegedToken: "t", webhookBaseUrl: "https://shop.example.com" }, "webhookBaseUrl: needs clientSecret"],
    [{ webhookCheckSchedule: "often" }, "webhookCheckSchedule"],
    [{ redisUrl: "localhost:6379" }, "redisUrl: must be a Redis URL"],
    [{ importHeapHeadroomMb: -1 }, "importHeapHeadroomMb: must be 0 (leave it to V8) or more MiB"],
    [{ importHeapHeadroomMb: 12.5 }, "importHeapHeadroomMb: must be a whole number of MiB"],
    [{ importHeapHeadroomMb: "160" }, "importHeapHeadroomMb: must be a number of MiB"],
  ])("rejects %j naming %s", (raw, expected) => {
    expect(() => parseOptions(raw)).toThrow(expected)
    expect(() => parseOptions(raw)).toThrow(/^medusa-plugin-tradegecko: invalid plugin options: /)
  })

  it("names every bad option at once", () => {
    expect(() => parseOptions({ baseUrl: "x", checkoutFreshnessSeconds: -1 })).toThrow(
      /baseUrl: .*; checkoutFreshnessSeconds: /
    )
  })

  it("the module loader fails on bad options and passes on good ones", async () => {
    await expect(validateOptionsLoader({ options: { checkoutFreshnessSeconds: -1 } } as never)).rejects.toThrow(
      "checkoutFreshnessSeconds"
    )
    await expect(validateOptionsLoader({ options: {} } as never)).resolves.toBeUndefined()
  })

  it("tells which credential is configured", () => {
    expect(credentialKind(parseOptions({}))).toBeNull()
    expect(credentialKind(parseOptions({ clientId: "a" }))).toBeNull()
    expect(credentialKind(parseOptions({ clientId: "a", clientSecret: "b" }))).toBe("oauth_application")
    expect(credentialKind(parseOptions({ privilegedToken: "p", clientId: "a", clientSecret: "b" }))).toBe(
      "privileged_token"
    )
  })
})
