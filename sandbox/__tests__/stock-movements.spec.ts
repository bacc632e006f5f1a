// Stock moves the way TradeGecko moved it: stock adjustments and stock transfers
// change stock on hand / available per location and fire variant.stock_level_update.
import { createOrder, receiver, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 8, history: false }, webhookRetryDelaysMs: [50] })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const loc = async (variantId: number, locationId: number) => {
  const v = (await t.api("GET", `/variants/${variantId}`)).json.variant
  const l = v.locations.find((x: any) => x.location_id === locationId)
  return { v, l, onHand: Number(l?.stock_on_hand ?? 0), available: Number(l?.available ?? 0) }
}

describe("Sandbox: stock movements", () => {
  describe("stock adjustments", () => {
    it("add and remove stock at a location, in the recorded shape, and fire stock_level_update per variant", async () => {
      const r = await receiver()
      try {
        await t.api("POST", "/webhooks", { webhook: { event: "variant.stock_level_update", address: r.url } })
        await t.api("POST", "/webhooks", { webhook: { event: "stock_adjustment.create", address: r.url } })
        const a = await loc(200002, 1)
        const b = await loc(200003, 1)
        await createOrder(t, [{ variant_id: 200002, quantity: 2 }]) // committed 2 at location 1
        await r.waitFor(1)
        r.received.length = 0
        const before = await loc(200002, 1)
        expect(before.l.committed).toBe("2")

        const res = await t.api("POST", "/stock_adjustments", {
          stock_adjustment: {
            stock_location_id: 1,
            reason: "stocktake",
            notes: "cycle count",
            stock_adjustment_line_items: [
              { variant_id: 200002, quantity: "10", price: "4.5" },
              { variant_id: 200003, quantity: -3 },
            ],
          },
        })
        expect(res.status).toBe(201)
        const adj = res.json.stock_adjustment
        expect(adj).toMatchObject({
          stock_location_id: 1,
          reason: "stocktake",
          reason_label: "Stocktake",
          status: "received",
          cached_quantity: "7.0",
          notes: "cycle count",
        })
        expect(adj.adjustment_number).toBe("SA0001")
        expect(typeof adj.total).toBe("string")
        expect(adj.stock_adjustment_line_item_ids).toHaveLength(2)
        const items = (await t.api("GET", `/stock_adjustment_line_items?stock_adjustment_id=${adj.id}`)).json
          .stock_adjustment_line_items
        expect(items.map((i: any) => [i.variant_id, i.quantity, i.position])).toEqual([
          [200002, "10.0", 1],
          [200003, "-3.0", 2],
        ])
        expect(items[0]).toMatchObject({ price: "4.5", stock_trail_ids: [], unassigned_stock_trails: [] })

        const after = await loc(200002, 1)
        expect(after.onHand).toBe(a.onHand + 10)
        expect(after.available).toBe(a.onHand + 10 - 2)
        expect(after.l.committed).toBe("2")
        expect(after.v.last_cost_price).toBe("4.5")
        expect((await loc(200003, 1)).onHand).toBe(b.onHand - 3)

        await r.waitFor(3)
        const got = r.received
          .map((x) => JSON.parse(x.body))
          .map((p) => `${p.event}:${p.object_id}`)
          .sort()
        expect(got).toEqual([
          `stock_adjustment.create:${adj.id}`,
          "variant.stock_level_update:200002",
          "variant.stock_level_update:200003",
        ])
        expect((await t.api("GET", "/stock_adjustments/available_identifiers")).json).toEqual({ identifier: "SA0002" })
      } finally {
        await r.close()
      }
    })

    it("bad input is a 422 that moves nothing; there is no update or delete", async () => {
      const a = await loc(200002, 1)
      const bad = await t.api("POST", "/stock_adjustments", {
        stock_adjustment: {
          stock_adjustment_line_items: [
            { variant_id: 200002, quantity: 5 },
            { variant_id: 999, quantity: 1, price: 1 },
          ],
        },
      })
      expect(bad.status).toBe(422)
      expect(Object.keys(bad.json.errors)).toEqual(
        expect.arrayContaining(["stock_adjustment_line_items[0].price", "stock_adjustment_line_items[1].variant_id"])
      )
      expect(
        (
          await t.api("POST", "/stock_adjustments", {
            stock_adjustment: { reason: "gift", stock_adjustment_line_items: [{ variant_id: 200002, quantity: -1 }] },
          })
        ).status
      ).toBe(422)
      expect((await loc(200002, 1)).onHand).toBe(a.onHand)
      expect((await t.api("GET", "/stock_adjustments")).json.stock_adjustments).toEqual([])
      const ok = (
        await t.api("POST", "/stock_adjustments", {
          stock_adjustment: { stock_adjustment_line_items: [{ variant_id: 200002, quantity: -1 }] },
        })
      ).json.stock_adjustment
      expect(ok.stock_location_id).toBe(1) // the primary location by default
      expect((await t.api("PUT", `/stock_adjustments/${ok.id}`, { stock_adjustment: { notes: "x" } })).status).toBe(404)
      expect((await t.api("DELETE", `/stock_adjustments/${ok.id}`)).status).toBe(404)
    })
  })

  describe("stock transfers", () => {
    it("active takes stock out of the source, receive puts it at the destination, revert undoes both", async () => {
      const src = await loc(200001, 1)
      const dst = await loc(200001, 2)
      const res = await t.api("POST", "/stock_transfers", {
        stock_transfer: {
          source_location_id: 1,
          destination_location_id: 2,
          notes: "rebalance",
          stock_transfer_line_items: [{ variant_id: 200001, quantity: 4 }],
        },
      })
      expect(res.status).toBe(201)
      const tr = res.json.stock_transfer
      expect(tr).toMatchObject({
        status: "active",
        adjustment_number: "ST0001",
        cached_quantity: "4.0",
        received_at: null,
        source_location_id: 1,
        destination_location_id: 2,
      })
      expect((await loc(200001, 1)).onHand).toBe(src.onHand - 4)
      expect((await loc(200001, 2)).onHand).toBe(dst.onHand) // in transit

      const received = await t.api("POST", `/stock_transfers/${tr.id}/actions/receive`)
      expect(received.status).toBe(200)
      expect(received.json.stock_transfer.status).toBe("received")
      expect(received.json.stock_transfer.received_at).toMatch(/Z$/)
      expect((await loc(200001, 2)).onHand).toBe(dst.onHand + 4)
      expect((await t.api("POST", `/stock_transfers/${tr.id}/actions/receive`)).status).toBe(422)

      expect((await t.api("POST", `/stock_transfers/${tr.id}/actions/revert`)).json.stock_transfer.status).toBe("void")
      expect((await loc(200001, 1)).onHand).toBe(src.onHand)
      expect((await loc(200001, 2)).onHand).toBe(dst.onHand)
      expect((await t.api("GET", "/stock_transfers")).json.stock_transfers).toEqual([]) // void hidden by default
      expect((await t.api("GET", "/stock_transfers?status=void")).json.stock_transfers).toHaveLength(1)
    })

    it("a transfer created as received moves both legs at once and fires one stock_level_update", async () => {
      const r = await receiver()
      try {
        await t.api("POST", "/webhooks", { webhook: { event: "variant.stock_level_update", address: r.url } })
        const dst = await loc(200004, 2)
        const tr = (
          await t.api("POST", "/stock_transfers", {
            stock_transfer: {
              source_location_id: 1,
              destination_location_id: 2,
              status: "received",
              stock_transfer_line_items: [{ variant_id: 200004, quantity: "1.5" }],
            },
          })
        ).json.stock_transfer
        expect(tr.status).toBe("received")
        expect((await loc(200004, 2)).onHand).toBe(dst.onHand + 1.5)
        await r.waitFor(1)
        await new Promise((res) => setTimeout(res, 200))
        expect(r.received.map((x) => JSON.parse(x.body).object_id)).toEqual([200004])
      } finally {
        await r.close()
      }
    })

    it("same location, unknown variant or non-positive quantity is a 422 and moves nothing", async () => {
      const src = await loc(200001, 1)
      const bad = await t.api("POST", "/stock_transfers", {
        stock_transfer: {
          source_location_id: 1,
          destination_location_id: 1,
          stock_transfer_line_items: [
            { variant_id: 200001, quantity: 0 },
            { variant_id: 5, quantity: 1 },
          ],
        },
      })
      expect(bad.status).toBe(422)
      expect(Object.keys(bad.json.errors).sort()).toEqual([
        "destination_location_id",
        "stock_transfer_line_items[0].quantity",
        "stock_transfer_line_items[1].variant_id",
      ])
      expect((await loc(200001, 1)).onHand).toBe(src.onHand)
    })
  })
})
