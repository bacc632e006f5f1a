/**
 * TradegeckoClient against a default sandbox: the recorded field set and JSON types
 * (committed string-or-null per location, integer incoming/production_*, numeric or
 * null source_id, default_tax_rate a number) and the seeded history (orders in every
 * state with invoices, payments, fulfillments, a return; a webhook) all parse.
 */
import { startSandbox, type SandboxHandle } from "../../../../../sandbox"
import { TradegeckoClient, parseDecimal } from ".."

let sb: SandboxHandle
let client: TradegeckoClient

beforeAll(async () => {
  sb = await startSandbox({ port: 0 }) // defaults: catalog + seeded history
  client = new TradegeckoClient({
    baseUrl: sb.url,
    auth: { type: "privileged", accessToken: sb.credentials.privilegedToken },
    retryBaseDelayMs: 10,
    timeoutMs: 5_000,
  })
})
afterAll(async () => {
  await client?.close()
  await sb?.close()
})

describe("TradeGecko client: parsing recorded TradeGecko shapes", () => {
  it("variants: committed is a string or null per location, incoming/production_* integers, new totals parse", async () => {
    const variants = await client.variants.all({ limit: 250 })
    expect(variants.length).toBeGreaterThan(50)
    const committedTypes = new Set(
      variants.flatMap((v) => (v.locations ?? []).map((l) => (l.committed === null ? "null" : typeof l.committed)))
    )
    expect(committedTypes).toEqual(new Set(["null", "string"])) // the history commits some, most never were
    let incoming = 0
    for (const v of variants) {
      const raw = v as unknown as Record<string, unknown>
      expect(typeof raw.total_committed_stock).toBe("string")
      expect(raw.moq).toBe(0)
      for (const l of v.locations ?? []) {
        // the sandbox sends JSON numbers here (checked in sandbox/__tests__/recorded-shapes.spec.ts); the client reads them as decimals
        incoming += parseDecimal(l.incoming as never) ?? NaN
        // what the plugin computes: available = on hand − committed, null committed = nothing committed
        expect((parseDecimal(l.stock_on_hand) ?? 0) - (parseDecimal(l.committed) ?? 0)).toBe(
          parseDecimal(l.available as never)
        )
      }
    }
    expect(incoming).toBe(20) // the seeded active purchase order PO0002
  })

  it("orders of the seeded history parse, with numeric or null source_id, and their documents list", async () => {
    const orders = await client.orders.all({ status: ["draft", "active", "finalized", "fulfilled", "void"] } as never)
    expect(orders.map((o) => o.status).sort()).toEqual(["active", "draft", "finalized", "fulfilled", "void"])
    expect(new Set(orders.map((o) => (o.source_id === null ? "null" : typeof o.source_id)))).toEqual(
      new Set(["null", "number"])
    )
    expect((await client.invoices.all()).length).toBeGreaterThanOrEqual(2)
    expect((await client.payments.all()).length).toBeGreaterThanOrEqual(2)
    expect((await client.fulfillments.all()).length).toBeGreaterThanOrEqual(1)
    expect((await client.fulfillmentReturns.all()).length).toBe(1)
    expect(await client.webhooks.all()).toHaveLength(1)
    expect((await client.stockLevels.all({ limit: 250 })).length).toBeGreaterThan(50)
    const account = (await client.accounts.current()) as unknown as Record<string, unknown>
    expect(account.default_tax_rate).toBe(10)
  })
})
