// Seeded business history (SeedOptions.history): what a TradeGecko account that
// has been trading for a while holds, so listing any resource on a fresh sandbox
// returns records. Everything is made through the API's own code paths (the
// same validation, derived statuses and stock moves), on a fixed clock
// (SEED_BASE_TIME + days), never the wall clock — the same options give the
// same records.
//
//   SO0001 draft      Acme Wholesale   2 lines, nothing committed
//   SO0002 active     Walk-in Customer commits stock
//   SO0003 finalized  Acme Wholesale   invoiced, part-paid (one payment)
//   SO0004 fulfilled  Walk-in Customer invoiced, paid, shipped; one unit returned (received)
//   SO0005 void       Acme Wholesale   finalized, then voided
//   SA0001 stock adjustment (stocktake) at the primary location
//   ST0001 stock transfer primary → secondary, received
//   PO0001 purchase order from Gecko Supplies, received into stock (one procurement)
//   PO0002 purchase order from Gecko Supplies, active: incoming stock
//   one webhook subscription (order.create) of another, older integration
// Orders are UI-made (source_id null) except SO0002, from another channel
// (source_id 2): none of them is the caller's own.
import { handleApi } from "./routes"
import type { Caller, Ctx } from "./resources/define"
import { variantStock } from "./domain/stock"
import type { Row, Store } from "./store"
import { resolveOptions, type JsonObject } from "./types"

export const HISTORY_WEBHOOK_ADDRESS = "http://127.0.0.1:9/legacy-integration/webhooks"

export function seedHistory(store: Store, baseTime: number, specialProducts: number): void {
  const caller: Caller = { applicationId: 1, accountId: 1, userId: 1 }
  const ctx: Ctx = { store, options: resolveOptions({}), baseUrl: "", caller }
  const clock = store.clock
  let now = baseTime
  clock.now = () => now
  try {
    const call = (method: string, path: string, body: JsonObject = {}): JsonObject => {
      now += 37 * 60_000 + 1234 // each step a little later
      const segments = path.split("/").filter(Boolean)
      return handleApi({ method, segments, pathname: path, query: {}, rawQuery: "", body }, ctx).body as JsonObject
    }
    const day = (n: number) => `2024-01-${String(n).padStart(2, "0")}`

    // well-stocked, stock-managed, active variants at the primary location
    // (regular products first: the first eight keep the stock rules README "Seed layout" promises)
    const candidates = store
      .all("variants")
      .filter(
        (v: Row) =>
          v.status === "active" && v.manage_stock !== false && store.get("products", v.product_id)?.status === "active"
      )
      .filter((v: Row) => (variantStock(store, v).locations.find((l) => l.location_id === 1)?.stock_on_hand ?? 0) >= 6)
    const firstRegular = Number(store.all("products")[specialProducts]?.id ?? Infinity)
    const regular = candidates.filter((v: Row) => Number(v.product_id) >= firstRegular)
    const stocked = regular.length ? regular : candidates
    const v = (i: number) => (stocked.length ? Number(stocked[i % stocked.length].id) : undefined)
    const line = (i: number, quantity: number): JsonObject => {
      const id = v(i)
      return id === undefined
        ? { freeform: true, label: "Gift wrapping", quantity, price: "5.0" }
        : { variant_id: id, quantity }
    }

    const order = (
      n: number,
      company: number,
      address: number,
      status: string,
      lines: JsonObject[],
      extra: JsonObject = {}
    ) => {
      now = baseTime + n * 86_400_000
      const o = call("POST", "/orders", {
        order: {
          company_id: company,
          shipping_address_id: address,
          issued_at: day(n + 1),
          status,
          order_line_items: lines,
          ...extra,
        },
      }).order as JsonObject
      const row = store.get("orders", o.id) as Row
      row.source_id = null
      return row
    }

    order(1, 400002, 500002, "draft", [line(0, 3), line(1, 2)], {
      notes: "Quote for spring restock",
      tags: ["wholesale", "quote"],
    })
    const active = order(2, 400001, 500001, "active", [line(2, 1)], {
      email: "walkin@sandbox.example",
      reference_number: "WEB-1001",
    })
    active.source_id = 2

    const finalized = order(3, 400002, 500002, "finalized", [line(3, 4), line(4, 2)], {
      reference_number: "PO-ACME-77",
    })
    call("POST", `/orders/${finalized.id}/actions/invoice`, { invoice: { invoiced_at: day(5), notes: "Net 30" } })
    const invoice = store.where("invoices", "order_id", finalized.id)[0]
    call("POST", "/payments", {
      payment: { invoice_id: invoice.id, amount: "20.0", reference: "Deposit", payment_method_id: 3 },
    })

    const fulfilled = order(6, 400001, 500001, "finalized", [line(5, 2), line(6, 1)], {
      email: "walkin@sandbox.example",
    })
    call("POST", `/orders/${fulfilled.id}/actions/pay`, {
      payment: { payment_method_name: "Credit Card", reference: "ch_seed_0001" },
    })
    call("POST", `/orders/${fulfilled.id}/actions/fulfil`, {
      fulfillment: { tracking_company: "USPS", tracking_number: "9400100000000000000001" },
    })
    const returned = store.where("order_line_items", "order_id", fulfilled.id).find((l: Row) => !l.freeform)
    if (returned)
      call("POST", "/fulfillment_returns", {
        fulfillment_return: {
          order_id: fulfilled.id,
          status: "received",
          notes: "Wrong size",
          fulfillment_return_line_items: [{ order_line_item_id: returned.id, quantity: 1 }],
        },
      })

    const voided = order(9, 400002, 500002, "finalized", [line(7, 5)])
    call("POST", `/orders/${voided.id}/actions/void`)

    now = baseTime + 11 * 86_400_000
    if (stocked.length) {
      call("POST", "/stock_adjustments", {
        stock_adjustment: {
          stock_location_id: 1,
          reason: "stocktake",
          notes: "January stocktake",
          stock_adjustment_line_items: [
            { variant_id: v(0) as number, quantity: 5, price: "4.0" },
            { variant_id: v(1) as number, quantity: -1 },
          ],
        },
      })
      call("POST", "/stock_transfers", {
        stock_transfer: {
          source_location_id: 1,
          destination_location_id: 2,
          status: "received",
          notes: "Overflow",
          stock_transfer_line_items: [{ variant_id: v(2) as number, quantity: 2 }],
        },
      })
    }
    if (stocked.length) {
      now = baseTime + 12 * 86_400_000
      const received = call("POST", "/purchase_orders", {
        purchase_order: {
          company_id: 400003,
          supplier_address_id: 500003,
          status: "active",
          issued_at: day(20),
          reference_number: "GS-INV-5531",
          purchase_order_line_items: [
            { variant_id: v(3) as number, quantity: 12 },
            { variant_id: v(4) as number, quantity: 6, price: "3.5" },
          ],
        },
      }).purchase_order as JsonObject
      call("POST", `/purchase_orders/${received.id}/actions/receive`)
      call("POST", "/purchase_orders", {
        purchase_order: {
          company_id: 400003,
          supplier_address_id: 500003,
          status: "active",
          issued_at: day(24),
          due_at: "2024-02-15",
          purchase_order_line_items: [{ variant_id: v(5) as number, quantity: 20 }],
        },
      })
    }
    const hook = call("POST", "/webhooks", { webhook: { event: "order.create", address: HISTORY_WEBHOOK_ADDRESS } })
      .webhook as JsonObject
    ;(store.get("webhooks", hook.id) as Row).oauth_application_id = 2
  } finally {
    delete (clock as { now?: unknown }).now // back to the prototype's clock
  }
}
