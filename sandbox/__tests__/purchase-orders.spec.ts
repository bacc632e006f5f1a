// Purchase orders received into stock: incoming while active, on hand once received.
import { receiver, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 8, history: false } })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const stockAt = async (variantId: number, locationId: number) => {
  const v = (await t.api("GET", `/variants/${variantId}`)).json.variant
  const l = v.locations.find((x: any) => x.location_id === locationId)
  return { v, l, onHand: Number(l?.stock_on_hand ?? 0) }
}

describe("Sandbox: purchase orders", () => {
  it("an active PO is incoming stock; receiving it adds stock on hand at its location and fires the events", async () => {
    const r = await receiver()
    try {
      for (const event of [
        "purchase_order.create",
        "purchase_order.received",
        "procurement.create",
        "variant.stock_level_update",
      ])
        await t.api("POST", "/webhooks", { webhook: { event, address: r.url } })
      const before = await stockAt(200002, 2)
      const res = await t.api("POST", "/purchase_orders", {
        purchase_order: {
          company_id: 400003,
          supplier_address_id: 500003,
          stock_location_id: 2,
          status: "active",
          purchase_order_line_items: [{ variant_id: 200002, quantity: 7, price: "3.25" }],
        },
      })
      expect(res.status).toBe(201)
      const po = res.json.purchase_order
      expect(po).toMatchObject({
        order_number: "PO0001",
        status: "active",
        procurement_status: "unprocured",
        total: "22.75",
        cached_quantity: "7.0",
        stock_location_id: 2,
      })
      const incoming = await stockAt(200002, 2)
      expect(incoming.l.incoming).toBe(7)
      expect(incoming.v.incoming_stock).toBe("7")
      expect(incoming.v.total_incoming_stock).toBe("7")
      expect(incoming.onHand).toBe(before.onHand)

      const rec = await t.api("POST", `/purchase_orders/${po.id}/actions/receive`)
      expect(rec.status).toBe(200)
      expect(rec.json.purchase_order).toMatchObject({ status: "received", procurement_status: "procured" })
      expect(rec.json.procurements).toHaveLength(1)
      const after = await stockAt(200002, 2)
      expect(after.onHand).toBe(before.onHand + 7)
      expect(after.l.incoming).toBe(0)
      expect(after.v.last_cost_price).toBe("3.25")
      expect((await t.api("POST", `/purchase_orders/${po.id}/actions/receive`)).status).toBe(422)
      const line = (await t.api("GET", `/purchase_order_line_items?purchase_order_id=${po.id}`)).json
        .purchase_order_line_items[0]
      expect(line).toMatchObject({ quantity: "7.0", price: "3.25", procurement_id: rec.json.procurements[0].id })

      await r.waitFor(5)
      await new Promise((res) => setTimeout(res, 200))
      const events = r.received.map((x) => JSON.parse(x.body).event).sort()
      expect(events).toEqual([
        "procurement.create",
        "purchase_order.create",
        "purchase_order.received",
        "variant.stock_level_update",
        "variant.stock_level_update",
      ])
    } finally {
      await r.close()
    }
  })

  it("a draft is not incoming and cannot be received; voiding an active PO drops its incoming; bad input moves nothing", async () => {
    const draft = (
      await t.api("POST", "/purchase_orders", {
        purchase_order: {
          company_id: 400003,
          supplier_address_id: 500003,
          purchase_order_line_items: [{ variant_id: 200003, quantity: 4 }],
        },
      })
    ).json.purchase_order
    expect(draft.status).toBe("draft")
    expect((await stockAt(200003, 1)).l.incoming).toBe(0)
    expect((await t.api("POST", `/purchase_orders/${draft.id}/actions/receive`)).status).toBe(422)
    expect((await t.api("PUT", `/purchase_orders/${draft.id}`, { purchase_order: { status: "active" } })).status).toBe(
      204
    )
    expect((await stockAt(200003, 1)).l.incoming).toBe(4)
    expect((await t.api("DELETE", `/purchase_orders/${draft.id}`)).status).toBe(204)
    expect((await stockAt(200003, 1)).l.incoming).toBe(0)
    expect((await t.api("GET", `/purchase_orders/${draft.id}`)).json.purchase_order.status).toBe("void")

    const bad = await t.api("POST", "/purchase_orders", {
      purchase_order: {
        company_id: 400003,
        supplier_address_id: 500001,
        purchase_order_line_items: [{ variant_id: 200003, quantity: 0 }],
      },
    })
    expect(bad.status).toBe(422)
    expect(Object.keys(bad.json.errors).sort()).toEqual([
      "purchase_order_line_items[0].quantity",
      "supplier_address_id",
    ])
    expect((await t.api("GET", "/purchase_orders")).json.purchase_orders).toEqual([])
  })
})
