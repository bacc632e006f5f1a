// Sales orders: creation, committed stock, status transitions, actions, fulfilments, invoices, payments, returns.
import { createOrder, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { history: false } }) // these tests count orders and stock from an account without history
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const variant = async (id: number) => (await t.api("GET", `/variants/${id}`)).json.variant
const order = async (id: number) => (await t.api("GET", `/orders/${id}`)).json.order
const stock = async (id: number) => {
  const v = await variant(id)
  return { onHand: Number(v.stock_on_hand), committed: Number(v.committed_stock), available: Number(v.available_stock) }
}

describe("Sandbox: orders", () => {
  describe("creating orders", () => {
    it("embeds company, addresses and line items; defaults status draft, numbers SO0001…", async () => {
      const res = await t.api("POST", "/orders", {
        order: {
          issued_at: "21-02-2018",
          currency_iso: "EUR",
          email: "jane@example.com",
          company: { name: "Jane Doe", email: "jane@example.com" },
          shipping_address: { address1: "1 Main St", city: "Springfield", country: "US", first_name: "Jane" },
          billing_address: { address1: "2 Bill St", country: "US" },
          order_line_items: [
            { variant_id: 200001, quantity: 2 },
            { freeform: true, label: "Shipping", price: "5.0", quantity: 1 },
          ],
        },
      })
      expect(res.status).toBe(201)
      const o = res.json.order
      expect(o).toMatchObject({
        status: "draft",
        order_number: "SO0001",
        issued_at: "2018-02-21",
        currency_id: 2,
        payment_status: "unpaid",
        fulfillment_status: "unshipped",
      })
      expect(o.shipping_address_id).not.toBe(o.billing_address_id)
      const company = (await t.api("GET", `/companies/${o.company_id}`)).json.company
      expect(company).toMatchObject({ name: "Jane Doe", company_type: "consumer" })
      expect(company.address_ids.sort()).toEqual([o.shipping_address_id, o.billing_address_id].sort())
      const lines = (await t.api("GET", `/order_line_items?order_id=${o.id}`)).json.order_line_items
      const retailPrice: string = (await variant(200001)).retail_price
      const retail = Number(retailPrice)
      expect(lines[0]).toMatchObject({
        variant_id: 200001,
        quantity: "2.0",
        price: retailPrice,
        freeform: false,
        position: 0,
        tax_type_id: 2,
      })
      expect(lines[1]).toMatchObject({
        variant_id: null,
        freeform: true,
        label: "Shipping",
        price: "5.0",
        quantity: "1.0",
      })
      // tax-exclusive account, 10% sales tax
      expect(Number(o.total)).toBeCloseTo((2 * retail + 5) * 1.1, 2)
      const second = await createOrder(t, [{ variant_id: 200002, quantity: 1 }])
      expect(second.order_number).toBe("SO0002")
      expect((await t.api("GET", "/orders/available_identifiers?type=order_number")).json).toEqual({
        identifier: "SO0003",
      })
    })

    it("adds line amounts exactly and rounds the total once, half up, to the currency's precision (JPY 0, USD 2, KWD 3)", async () => {
      await t.api("POST", "/currencies", { currency: { iso: "JPY", name: "Yen", symbol: "¥", precision: 0 } })
      await t.api("POST", "/currencies", {
        currency: { iso: "KWD", name: "Kuwaiti Dinar", symbol: "KD", precision: 3 },
      })
      const place = async (
        currency_iso: string,
        tax_treatment: string,
        lines: Array<{ price: string; quantity?: number; tax_rate_override: string }>
      ) => {
        const res = await t.api("POST", "/orders", {
          order: {
            issued_at: "2026-12-01",
            currency_iso,
            tax_treatment,
            company: { name: "Precise" },
            shipping_address: { address1: "1 Main St", country: "US" },
            order_line_items: lines.map((l) => ({ freeform: true, label: "x", quantity: l.quantity ?? 1, ...l })),
          },
        })
        expect(res.status).toBe(201)
        return res.json.order
      }
      // 1.05 + 10 % = 1.155 → 1.16 (in floats 1.155 rounds down to 1.15)
      expect((await place("USD", "exclusive", [{ price: "1.05", tax_rate_override: "10" }])).total).toBe("1.16")
      // 0.3 × 3 + 8.875 % on 12.35: 0.9 + 13.446063 → 14.35 (exact), not the float sum's noise
      expect(
        (
          await place("USD", "exclusive", [
            { price: "0.3", quantity: 3, tax_rate_override: "0" },
            { price: "12.35", tax_rate_override: "8.875" },
          ])
        ).total
      ).toBe("14.35")
      const jpy = await place("JPY", "exclusive", [{ price: "1499", tax_rate_override: "10" }]) // 1648.9 → 1649
      expect(jpy.total).toBe("1649.0")
      const kwd = await place("KWD", "exclusive", [
        { price: "12.345", tax_rate_override: "5" },
        { price: "-1.234", tax_rate_override: "5" },
      ]) // 11.66655 → 11.667
      expect(kwd.total).toBe("11.667")
      expect((await place("KWD", "inclusive", [{ price: "12.345", tax_rate_override: "5" }])).total).toBe("12.345")
      // the invoice and the payment of a KWD order keep its three decimals, and it is paid in full
      await t.api("PUT", `/orders/${kwd.id}`, { order: { status: "active" } })
      const paid = await t.api("POST", `/orders/${kwd.id}/actions/pay`, {})
      expect(paid.status).toBeLessThan(300)
      const after = await order(kwd.id)
      expect(after.payment_status).toBe("paid")
      const invoice = (await t.api("GET", `/invoices?order_id=${kwd.id}`)).json.invoices[0]
      expect(invoice.total).toBe("11.667")
    })

    it("validates required fields and references", async () => {
      const res = await t.api("POST", "/orders", {
        order: { order_line_items: [{ quantity: 1 }, { freeform: true, quantity: 1 }] },
      })
      expect(res.status).toBe(422)
      expect(res.json.errors).toMatchObject({
        issued_at: ["can't be blank"],
        company_id: ["can't be blank"],
        shipping_address_id: ["can't be blank"],
        "order_line_items.variant_id": ["can't be blank"],
        "order_line_items.label": ["can't be blank"],
      })
      const bad = await t.api("POST", "/orders", {
        order: { company_id: 1, shipping_address_id: 500001, issued_at: "2024-01-01", currency_iso: "XXX" },
      })
      expect(bad.json.errors).toEqual({
        company_id: ["is invalid"],
        currency_iso: ["is not a currency of this account"],
      })
      expect((await t.api("GET", "/orders")).json.orders).toEqual([])
    })

    it("accepts duplicate order numbers", async () => {
      await createOrder(t, [], { order_number: "WEB-1" })
      await createOrder(t, [], { order_number: "WEB-1" })
      expect((await t.api("GET", "/orders?order_number=WEB-1")).json.orders).toHaveLength(2)
    })

    it("rejects duplicate order numbers in strict mode", async () => {
      const strict = await start({ seed: { products: 1 }, strictOrderNumbers: true })
      try {
        await createOrder(strict, [], { order_number: "WEB-1" })
        const dup = await strict.api("POST", "/orders", {
          order: { company_id: 400001, shipping_address_id: 500001, issued_at: "2024-03-01", order_number: "WEB-1" },
        })
        expect(dup.status).toBe(422)
        expect(dup.json).toEqual({ errors: { order_number: ["has already been taken"] } })
      } finally {
        await strict.close()
      }
    })

    it("PUT with order_line_items appends lines (204)", async () => {
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      const res = await t.api("PUT", `/orders/${o.id}`, {
        order: { notes: "gift", order_line_items: [{ variant_id: 200002, quantity: 3 }] },
      })
      expect(res.status).toBe(204)
      const after = await order(o.id)
      expect(after.order_line_item_ids).toHaveLength(2)
      expect(after.order_line_item_ids[0]).toBe(o.order_line_item_ids[0])
      expect(after.notes).toBe("gift")
    })
  })

  describe("committed stock and statuses", () => {
    it("draft commits nothing, active commits, void releases", async () => {
      const before = await stock(200001)
      const res = await t.api("POST", "/orders", {
        order: {
          company_id: 400001,
          shipping_address_id: 500001,
          issued_at: "2024-03-01",
          order_line_items: [{ variant_id: 200001, quantity: 3 }],
        },
      })
      const o = res.json.order
      expect(await stock(200001)).toEqual(before)
      const v0 = await variant(200001)
      expect((await t.api("PUT", `/orders/${o.id}`, { order: { status: "active" } })).status).toBe(204)
      const v1 = await variant(200001)
      expect(v1.updated_at > v0.updated_at).toBe(true)
      expect(await stock(200001)).toEqual({ onHand: before.onHand, committed: 3, available: before.onHand - 3 })
      expect(v1.locations.find((l: { location_id: number }) => l.location_id === 1).committed).toBe("3")
      await t.api("DELETE", `/orders/${o.id}`)
      expect((await order(o.id)).status).toBe("void")
      expect(await stock(200001)).toEqual(before)
    })

    it("DELETE: drafts become deleted, others void; both hidden by default (status=archived finds nothing)", async () => {
      const draft = (
        await t.api("POST", "/orders", {
          order: { company_id: 400001, shipping_address_id: 500001, issued_at: "2024-03-01" },
        })
      ).json.order
      const active = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      await t.api("DELETE", `/orders/${draft.id}`)
      await t.api("DELETE", `/orders/${active.id}`)
      expect((await order(draft.id)).status).toBe("deleted")
      expect((await order(active.id)).status).toBe("void")
      expect((await t.api("GET", "/orders")).json.orders).toEqual([])
      expect((await t.api("GET", "/orders?status=deleted")).json.orders.map((o: { id: number }) => o.id)).toEqual([
        draft.id,
      ])
      expect((await t.api("GET", "/orders?status=void")).json.orders.map((o: { id: number }) => o.id)).toEqual([
        active.id,
      ])
      expect((await t.api("GET", "/orders?status=archived")).json.orders).toEqual([])
    })

    it("rejects unsettable statuses", async () => {
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      const res = await t.api("PUT", `/orders/${o.id}`, { order: { status: "fulfilled" } })
      expect(res.status).toBe(422)
      expect(res.json.errors.base[0]).toMatch(/fulfilled/)
    })
  })

  describe("actions", () => {
    it("invoice/pay/pack/fulfil need an active or finalized order", async () => {
      const draft = (
        await t.api("POST", "/orders", {
          order: {
            company_id: 400001,
            shipping_address_id: 500001,
            issued_at: "2024-03-01",
            order_line_items: [{ variant_id: 200001, quantity: 1 }],
          },
        })
      ).json.order
      for (const action of ["invoice", "pay", "pack", "fulfil", "void"]) {
        const res = await t.api("POST", `/orders/${draft.id}/actions/${action}`)
        expect(res.status).toBe(422)
        expect(res.json.errors.base).toHaveLength(1)
      }
      expect((await t.api("POST", `/orders/${draft.id}/actions/explode`)).status).toBe(404)
    })

    it("full lifecycle: invoice → pay → pack → fulfil → void (restocks)", async () => {
      const before = await stock(200001)
      const o = await createOrder(t, [
        { variant_id: 200001, quantity: 2 },
        { variant_id: 200002, quantity: 1 },
        { freeform: true, label: "Shipping", price: 5, quantity: 1 },
      ])

      const inv = await t.api("POST", `/orders/${o.id}/actions/invoice`, { invoice: { notes: "thanks" } })
      expect(inv.status).toBe(200)
      expect(inv.json.order).toMatchObject({
        status: "finalized",
        invoice_status: "invoiced",
        payment_status: "unpaid",
      })
      expect(inv.json.invoices).toHaveLength(1)
      expect(inv.json.invoices[0]).toMatchObject({
        invoice_number: "INV0001",
        notes: "thanks",
        total: o.total,
        payment_status: "unpaid",
      })
      expect((await t.api("POST", `/orders/${o.id}/actions/invoice`)).status).toBe(422)

      const pay = await t.api("POST", `/orders/${o.id}/actions/pay`, {
        payment: { payment_method_name: "Credit Card" },
      })
      expect(pay.json.order.payment_status).toBe("paid")
      expect(pay.json.payments).toHaveLength(1)
      expect(pay.json.payments[0]).toMatchObject({ amount: o.total, payment_method_id: 2 })

      const pack = await t.api("POST", `/orders/${o.id}/actions/pack`)
      expect(pack.json.order).toMatchObject({ packed_status: "packed", fulfillment_status: "unshipped" })
      expect(pack.json.fulfillments[0].status).toBe("packed")
      expect(await stock(200001)).toEqual({ onHand: before.onHand, committed: 2, available: before.onHand - 2 })

      const fulfil = await t.api("POST", `/orders/${o.id}/actions/fulfil`, {
        fulfillment: { tracking_number: "1Z999" },
      })
      expect(fulfil.json.order).toMatchObject({
        status: "fulfilled",
        fulfillment_status: "shipped",
        tracking_number: "1Z999",
      })
      expect(fulfil.json.fulfillments.map((f: { status: string }) => f.status)).toEqual(["fulfilled"])
      expect(await stock(200001)).toEqual({ onHand: before.onHand - 2, committed: 0, available: before.onHand - 2 })
      expect((await t.api("POST", `/orders/${o.id}/actions/fulfil`)).status).toBe(422)

      const v = await t.api("POST", `/orders/${o.id}/actions/void`)
      expect(v.json.order.status).toBe("void")
      expect(await stock(200001)).toEqual(before)
      expect((await t.api("GET", `/fulfillments?order_id=${o.id}&status=void`)).json.fulfillments).toHaveLength(1)
      expect((await t.api("POST", `/orders/${o.id}/actions/pay`)).status).toBe(422)
    })

    it("pay on an active order invoices and pays in one go", async () => {
      const o = await createOrder(t, [{ variant_id: 200004, quantity: 1 }])
      const res = await t.api("POST", `/orders/${o.id}/actions/pay`)
      expect(res.json.order).toMatchObject({ status: "finalized", invoice_status: "invoiced", payment_status: "paid" })
      expect(res.json.invoices).toHaveLength(1)
      expect(res.json.payments).toHaveLength(1)
    })
  })

  describe("fulfillments", () => {
    it("partial shipment via /fulfillments, then PUT status fulfilled deducts stock and releases committed", async () => {
      const before = await stock(200001)
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 3 }])
      const lineId = o.order_line_item_ids[0]
      const res = await t.api("POST", "/fulfillments", {
        fulfillment: {
          order_id: o.id,
          tracking_company: "UPS",
          fulfillment_line_items: [{ order_line_item_id: lineId, quantity: 1 }],
        },
      })
      expect(res.status).toBe(201)
      const f = res.json.fulfillment
      expect(f).toMatchObject({
        status: "packed",
        order_id: o.id,
        order_number: o.order_number,
        tracking_company: "UPS",
        stock_location_id: 1,
      })
      expect(f.packed_at).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(await order(o.id)).toMatchObject({
        status: "finalized",
        packed_status: "partial",
        fulfillment_status: "unshipped",
      })

      const upd = await t.api("PUT", `/fulfillments/${f.id}`, {
        fulfillment: { status: "fulfilled", tracking_number: "TRK1", tracking_url: "https://t.example/TRK1" },
      })
      expect(upd.status).toBe(204)
      expect(await stock(200001)).toEqual({ onHand: before.onHand - 1, committed: 2, available: before.onHand - 3 })
      const shipped = (await t.api("GET", `/fulfillments/${f.id}`)).json
      expect(Object.keys(shipped)).toEqual(["fulfillment_line_items", "fulfillment"])
      expect(shipped.fulfillment).toMatchObject({
        status: "fulfilled",
        tracking_number: "TRK1",
        tracking_url: "https://t.example/TRK1",
      })
      expect(shipped.fulfillment.shipped_at).toMatch(/Z$/)
      expect(shipped.fulfillment_line_items[0]).toMatchObject({
        order_line_item_id: lineId,
        quantity: "1.0",
        variant_id: 200001,
      })
      expect(await order(o.id)).toMatchObject({ status: "finalized", fulfillment_status: "partial" })

      const over = await t.api("POST", "/fulfillments", {
        fulfillment: { order_id: o.id, fulfillment_line_items: [{ order_line_item_id: lineId, quantity: 5 }] },
      })
      expect(over.status).toBe(422)
      const rest = await t.api("POST", "/fulfillments", { fulfillment: { order_id: o.id, status: "fulfilled" } })
      expect(rest.status).toBe(201)
      expect(await order(o.id)).toMatchObject({
        status: "fulfilled",
        fulfillment_status: "shipped",
        packed_status: "packed",
      })
      expect(await stock(200001)).toEqual({ onHand: before.onHand - 3, committed: 0, available: before.onHand - 3 })
      expect((await t.api("PUT", `/fulfillments/${f.id}`, { fulfillment: { status: "packed" } })).status).toBe(422)
    })

    it("ships from the order's stock location", async () => {
      const v = await variant(200001)
      const loc2 = Number(v.locations.find((l: { location_id: number }) => l.location_id === 2).stock_on_hand)
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }], { stock_location_id: 2 })
      await t.api("POST", `/orders/${o.id}/actions/fulfil`)
      const after = await variant(200001)
      expect(Number(after.locations.find((l: { location_id: number }) => l.location_id === 2).stock_on_hand)).toBe(
        loc2 - 1
      )
    })
  })

  describe("invoices, payments, returns", () => {
    it("an invoice must embed invoice_line_items", async () => {
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 2 }])
      const res = await t.api("POST", "/invoices", { invoice: { order_id: o.id } })
      expect(res.status).toBe(422)
      expect(res.json).toEqual({ errors: { base: ["Cannot create invoice without line items"] } })
      expect((await t.api("POST", "/invoices", {})).json).toEqual({
        type: "Bad Request",
        message: "Required parameter missing: invoice",
      })
      const ok = await t.api("POST", "/invoices", {
        invoice: {
          order_id: o.id,
          invoice_line_items: [{ order_line_item_id: o.order_line_item_ids[0], quantity: 1 }],
        },
      })
      expect(ok.status).toBe(201)
      expect(await order(o.id)).toMatchObject({ invoice_status: "partial" })
      const pay = await t.api("POST", "/payments", {
        payment: { invoice_id: ok.json.invoice.id, amount: ok.json.invoice.total },
      })
      expect(pay.status).toBe(201)
      expect(pay.json.payment).toMatchObject({ amount: ok.json.invoice.total, status: "active" })
      expect((await t.api("GET", `/invoices/${ok.json.invoice.id}`)).json.invoice.payment_status).toBe("paid")
      expect((await order(o.id)).payment_status).toBe("partial")
    })

    it("a received return puts stock back", async () => {
      const before = await stock(200002)
      const o = await createOrder(t, [{ variant_id: 200002, quantity: 2 }])
      await t.api("POST", `/orders/${o.id}/actions/fulfil`)
      expect((await stock(200002)).onHand).toBe(before.onHand - 2)
      const res = await t.api("POST", "/fulfillment_returns", {
        fulfillment_return: {
          order_id: o.id,
          status: "received",
          fulfillment_return_line_items: [{ order_line_item_id: o.order_line_item_ids[0], quantity: 1 }],
        },
      })
      expect(res.status).toBe(201)
      expect(res.json.fulfillment_return).toMatchObject({
        status: "received",
        credit_note_number: "CN0001",
        location_id: 1,
      })
      expect((await stock(200002)).onHand).toBe(before.onHand - 1)
      expect((await order(o.id)).return_status).toBe("partial")
    })
  })

  describe("order line items", () => {
    it("CRUD through /order_line_items incl. freeform lines", async () => {
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      const res = await t.api("POST", "/order_line_items", {
        order_line_item: {
          order_id: o.id,
          freeform: true,
          label: "Gift wrap",
          price: "3",
          quantity: 1,
          line_type: "gift_wrap",
        },
      })
      expect(res.status).toBe(201)
      expect(res.json.order_line_item).toMatchObject({
        freeform: true,
        variant_id: null,
        label: "Gift wrap",
        position: 1,
        shippable: false,
      })
      expect(
        (await t.api("PUT", `/order_line_items/${o.order_line_item_ids[0]}`, { order_line_item: { quantity: 4 } }))
          .status
      ).toBe(204)
      expect((await stock(200001)).committed).toBe(4)
      expect((await t.api("DELETE", `/order_line_items/${res.json.order_line_item.id}`)).status).toBe(204)
      expect((await t.api("GET", `/order_line_items/${res.json.order_line_item.id}`)).status).toBe(404)
      expect((await t.api("GET", `/order_line_items?order_id=${o.id}`)).json.order_line_items).toHaveLength(1)
    })
  })
})
