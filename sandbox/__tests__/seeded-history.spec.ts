// A fresh sandbox holds a trading history: every resource it serves lists records.
import { RESOURCES } from "../resources"
import { createOrder, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start() // default options, as `npm run sandbox` / startSandbox()
})
afterAll(() => t.close())

const ALL = "status[]=draft&status[]=active&status[]=finalized&status[]=fulfilled&status[]=void"

describe("Sandbox: seeded history", () => {
  it("every resource it serves lists records on a fresh sandbox", async () => {
    const empty: string[] = []
    for (const def of RESOURCES) {
      const res = await t.api("GET", `/${def.plural}?limit=5`)
      expect([def.plural, res.status]).toEqual([def.plural, 200])
      if (!res.json[def.plural]?.length) empty.push(def.plural)
    }
    expect(empty).toEqual([])
  })

  it("orders in every state, with invoices, payments, fulfillments and a received return", async () => {
    const orders = (await t.api("GET", `/orders?${ALL}&order=created_at%20asc`)).json.orders
    expect(orders.map((o: any) => [o.order_number, o.status])).toEqual([
      ["SO0001", "draft"],
      ["SO0002", "active"],
      ["SO0003", "finalized"],
      ["SO0004", "fulfilled"],
      ["SO0005", "void"],
    ])
    const [draft, active, finalized, fulfilled, voided] = orders
    expect(draft).toMatchObject({
      invoice_status: "uninvoiced",
      payment_status: "unpaid",
      fulfillment_status: "unshipped",
    })
    expect(active.source_id).toBe(2)
    expect(draft.source_id).toBeNull()
    expect(finalized).toMatchObject({
      invoice_status: "invoiced",
      payment_status: "partial",
      fulfillment_status: "unshipped",
    })
    expect(finalized.invoice_ids).toHaveLength(1)
    expect(finalized.payment_ids).toHaveLength(1)
    const payment = (await t.api("GET", `/payments/${finalized.payment_ids[0]}`)).json.payment
    expect(payment).toMatchObject({ invoice_id: finalized.invoice_ids[0], amount: "20.0", reference: "Deposit" })
    expect(fulfilled).toMatchObject({
      invoice_status: "invoiced",
      payment_status: "paid",
      fulfillment_status: "shipped",
      packed_status: "packed",
      return_status: "partial",
    })
    expect(fulfilled.fulfillment_ids).toHaveLength(1)
    const ret = (await t.api("GET", `/fulfillment_returns/${fulfilled.fulfillment_return_ids[0]}`)).json
      .fulfillment_return
    expect(ret).toMatchObject({ status: "received", order_id: fulfilled.id, credit_note_number: "CN0001" })
    const retLine = (await t.api("GET", `/fulfillment_return_line_items?fulfillment_return_id=${ret.id}`)).json
      .fulfillment_return_line_items[0]
    expect(retLine.fulfillment_id).toBe(fulfilled.fulfillment_ids[0])
    const shipment = (await t.api("GET", `/fulfillments/${fulfilled.fulfillment_ids[0]}`)).json.fulfillment
    expect(shipment).toMatchObject({ status: "fulfilled", tracking_company: "USPS" })
    expect(voided.status).toBe("void")
    // seeded history lies in the past (fixed dates), never on the wall clock
    for (const o of orders) expect(o.created_at.startsWith("2024-01-")).toBe(true)
  })

  it("the history agrees with stock: the active order commits, the fulfilled one shipped", async () => {
    const active = (await t.api("GET", "/orders?order_number=SO0002")).json.orders[0]
    const line = (await t.api("GET", `/order_line_items?order_id=${active.id}`)).json.order_line_items[0]
    const v = (await t.api("GET", `/variants/${line.variant_id}`)).json.variant
    const committed = Number(v.locations.find((l: any) => l.location_id === 1).committed)
    expect(committed).toBeGreaterThanOrEqual(Number(line.quantity))
    expect(Number(v.available_stock)).toBe(Number(v.stock_on_hand) - Number(v.committed_stock))
  })

  it("stock adjustment, stock transfer and one webhook subscription are seeded", async () => {
    const [adj] = (await t.api("GET", "/stock_adjustments")).json.stock_adjustments
    expect(adj).toMatchObject({ adjustment_number: "SA0001", reason: "stocktake", status: "received" })
    const [tr] = (await t.api("GET", "/stock_transfers")).json.stock_transfers
    expect(tr).toMatchObject({
      adjustment_number: "ST0001",
      status: "received",
      source_location_id: 1,
      destination_location_id: 2,
    })
    const { webhooks } = (await t.api("GET", "/webhooks")).json
    expect(webhooks).toHaveLength(1)
    expect(webhooks[0]).toMatchObject({ event: "order.create", oauth_application_id: 2 })
    // seeding delivers nothing
    expect((await t.control("GET", "/webhook-deliveries")).json.total).toBe(0)
  })

  it("is deterministic, continues the sequences, and is left out when seed options are spelled out", async () => {
    const other = await start()
    const plain = await start({ seed: { products: 20 } })
    const withHistory = await start({ seed: { products: 4, variantsPerProduct: 1, history: true } })
    try {
      const strip = (x: TestSandbox, body: unknown) => JSON.parse(JSON.stringify(body).split(x.sb.url).join(""))
      expect(strip(other, (await other.api("GET", `/orders?${ALL}`)).json)).toEqual(
        strip(t, (await t.api("GET", `/orders?${ALL}`)).json)
      )
      expect(strip(other, (await other.api("GET", "/variants?limit=250")).json)).toEqual(
        strip(t, (await t.api("GET", "/variants?limit=250")).json)
      )
      const next = await createOrder(other, [{ variant_id: 200002, quantity: 1 }])
      expect(next.order_number).toBe("SO0006")
      expect((await plain.api("GET", `/orders?${ALL}`)).json.orders).toEqual([])
      expect((await plain.api("GET", "/webhooks")).json.webhooks).toEqual([])
      expect((await withHistory.api("GET", `/orders?${ALL}`)).json.orders).toHaveLength(5)
      // reset keeps the start options: history comes back
      await other.control("POST", "/reset")
      expect((await other.api("GET", `/orders?${ALL}`)).json.orders).toHaveLength(5)
    } finally {
      await Promise.all([other.close(), plain.close(), withHistory.close()])
    }
  })
})
