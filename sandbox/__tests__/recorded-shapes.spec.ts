// Field sets and JSON types as TradeGecko sent them (recorded traffic 2014–2020,
// official client fixtures), over real HTTP.
import { createOrder, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 8, history: false } })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const isDecimalString = (v: unknown) => typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)

describe("Sandbox: recorded TradeGecko shapes", () => {
  describe("variant", () => {
    it("carries the 2020 stock and catalog fields with their recorded types", async () => {
      const v = (await t.api("GET", "/variants/200002")).json.variant
      for (const f of [
        "total_committed_stock",
        "total_incoming_stock",
        "production_committed_stock",
        "production_incoming_stock",
        "committed_stock",
        "available_stock",
        "incoming_stock",
        "stock_on_hand",
      ])
        expect([f, isDecimalString(v[f])]).toEqual([f, true])
      expect(v.moq).toBe(0)
      expect(Number.isInteger(v.moq)).toBe(true)
      expect(v).toHaveProperty("volume")
      expect(v.volume === null || isDecimalString(v.volume)).toBe(true)
      expect(v).toHaveProperty("volume_unit", null)
      expect(typeof v.is_online).toBe("boolean")
      expect(v).toHaveProperty("online_id")
      expect(v.online_id === null || Number.isInteger(v.online_id)).toBe(true)
      for (const f of ["manufacturable", "stock_batchable", "initial_cost_price_confirmed", "packsize", "composite"])
        expect([f, typeof v[f]]).toEqual([f, "boolean"])
      expect(v).toHaveProperty("current_version_variant_id", null)
      expect(v).toHaveProperty("default_cost_of_goods_ledger_id", null)
    })

    it("locations[].committed is a string decimal or null, never an integer; incoming/production_* are integers", async () => {
      const before = (await t.api("GET", "/variants/200002")).json.variant
      expect(before.locations.map((l: any) => l.committed)).toEqual([null, null])
      for (const l of before.locations) {
        expect(l).toMatchObject({ incoming: 0, production_committed: 0, production_incoming: 0 })
        expect(isDecimalString(l.stock_on_hand) && isDecimalString(l.available)).toBe(true)
      }
      const order = await createOrder(t, [{ variant_id: 200002, quantity: 2 }])
      const during = (await t.api("GET", "/variants/200002")).json.variant
      expect(during.locations[0].committed).toBe("2")
      expect(during.total_committed_stock).toBe("2")
      expect(during.locations[1].committed).toBeNull()
      const level = (await t.api("GET", "/stock_levels/200002")).json.stock_level
      expect(level.locations[0].committed).toBe("2")
      expect(level.locations[1].committed).toBeNull()
      // once the order is void nothing is committed there, but the location has a committed record: "0"
      expect((await t.api("POST", `/orders/${order.id}/actions/void`)).status).toBe(200)
      const after = (await t.api("GET", "/variants/200002")).json.variant
      expect(after.locations[0].committed).toBe("0")
      for (const l of after.locations) expect(typeof l.committed === "string" || l.committed === null).toBe(true)
    })
  })

  it("images carry created_at/updated_at", async () => {
    const { images } = (await t.api("GET", "/images")).json
    expect(images.length).toBeGreaterThan(0)
    for (const i of images) {
      expect(i.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(i.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    }
  })

  it("the account carries default_tax_rate as a JSON number (the default sales tax type's rate)", async () => {
    const a = (await t.api("GET", "/accounts/current")).json.account
    expect(a.default_tax_rate).toBe(10)
  })

  it("orders carry invoice_ids and the creating application's id as a numeric source_id", async () => {
    const order = await createOrder(t, [{ variant_id: 200002, quantity: 1 }])
    await t.api("POST", `/orders/${order.id}/actions/invoice`)
    const o = (await t.api("GET", `/orders/${order.id}`)).json.order
    expect(o.invoice_ids).toHaveLength(1)
    expect(o.source_id).toBe(1)
  })
})
