// Webhook deliveries: thin payload, signature, retries, 410, events from the API and the control API.
import { createHmac } from "node:crypto"
import { createOrder, eventually, receiver, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 8 }, webhookRetryDelaysMs: [50, 100] })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const subscribe = async (event: string, address: string) => {
  const res = await t.api("POST", "/webhooks", { webhook: { event, address } })
  expect(res.status).toBe(201)
  return res.json.webhook.id as number
}
const events = (r: { received: { body: string }[] }) => r.received.map((x) => JSON.parse(x.body).event)

describe("Sandbox webhooks: delivery", () => {
  it("delivers a signed thin notification whose resource_url can be fetched", async () => {
    const r = await receiver()
    try {
      await subscribe("product.create", r.url)
      const created = await t.api("POST", "/products", { product: { name: "Hooked" } })
      await r.waitFor(1)
      const [req] = r.received
      expect(req.method).toBe("POST")
      expect(req.headers["content-type"]).toBe("application/json")
      expect(req.headers["x-gecko-delivery"]).toMatch(/^[0-9a-f-]{36}$/)
      const expected = createHmac("sha256", t.sb.credentials.clientSecret).update(req.body).digest("base64")
      expect(req.headers["x-gecko-signature"]).toBe(expected)
      const payload = JSON.parse(req.body)
      expect(Object.keys(payload)).toEqual(["object_id", "event", "timestamp", "resource_url"])
      expect(payload).toMatchObject({ object_id: created.json.product.id, event: "product.create" })
      expect(Math.abs(payload.timestamp - Date.now() / 1000)).toBeLessThan(5)
      expect(payload.resource_url).toBe(`${t.sb.url}/products/${created.json.product.id}.json`)
      const fetched = await t.api("GET", new URL(payload.resource_url).pathname)
      expect(fetched.json.product.name).toBe("Hooked")
    } finally {
      await r.close()
    }
  })

  it("retries after a 500 with the same delivery id and body, then succeeds", async () => {
    const r = await receiver((_req, n) => (n === 1 ? 500 : 204))
    try {
      await subscribe("company.create", r.url)
      await t.api("POST", "/companies", { company: { name: "Retry Co", company_type: "business" } })
      await r.waitFor(2)
      const [a, b] = r.received
      expect(b.headers["x-gecko-delivery"]).toBe(a.headers["x-gecko-delivery"])
      expect(b.body).toBe(a.body)
      const log = await eventually(async () => {
        const d = (await t.control("GET", "/webhook-deliveries")).json
        return d.deliveries.length === 2 && d.deliveries[1].outcome !== "pending" ? d : undefined
      })
      expect(
        log.deliveries.map((d: { attempt: number; status: number; outcome: string }) => [
          d.attempt,
          d.status,
          d.outcome,
        ])
      ).toEqual([
        [1, 500, "retrying"],
        [2, 204, "delivered"],
      ])
      expect(log.deliveries[0].signature).toBe(a.headers["x-gecko-signature"])
    } finally {
      await r.close()
    }
  })

  it("gives up after the configured retries", async () => {
    const r = await receiver(() => 503)
    try {
      await subscribe("product.create", r.url)
      await t.api("POST", "/products", { product: { name: "Doomed" } })
      await r.waitFor(3)
      const log = await eventually(async () => {
        const d = (await t.control("GET", "/webhook-deliveries")).json
        return d.deliveries.length === 3 && d.deliveries[2].outcome === "failed" ? d : undefined
      })
      expect(log.deliveries.map((d: { outcome: string }) => d.outcome)).toEqual(["retrying", "retrying", "failed"])
      expect((await t.api("GET", "/webhooks")).json.webhooks).toHaveLength(1)
    } finally {
      await r.close()
    }
  })

  it("410 Gone deletes the subscription", async () => {
    const r = await receiver(() => 410)
    try {
      const id = await subscribe("product.create", r.url)
      await t.api("POST", "/products", { product: { name: "Gone" } })
      await r.waitFor(1)
      await eventually(async () => (await t.api("GET", `/webhooks/${id}`)).status === 404)
      await t.api("POST", "/products", { product: { name: "Again" } })
      expect(r.received).toHaveLength(1)
    } finally {
      await r.close()
    }
  })

  it("fires order, fulfilment, stock and payment events through the API and the control endpoints", async () => {
    const r = await receiver()
    try {
      for (const e of [
        "order.create",
        "order.finalized",
        "order.fulfilled",
        "fulfillment.create",
        "fulfillment.fulfilled",
        "variant.stock_level_update",
        "invoice.create",
        "payment.create",
        "product.destroy",
        "address.create",
        "company.create",
      ])
        await subscribe(e, r.url)
      // embedded company + address on order create
      await t.api("POST", "/orders", {
        order: {
          issued_at: "2024-01-01",
          company: { name: "New Co" },
          shipping_address: { address1: "1 St" },
          order_line_items: [],
        },
      })
      await r.waitFor(3)
      expect(events(r)).toEqual(["company.create", "address.create", "order.create"])
      r.received.length = 0

      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      await r.waitFor(2) // order.create + stock_level_update (committed)
      expect(events(r).sort()).toEqual(["order.create", "variant.stock_level_update"])
      r.received.length = 0

      const ship = await t.control("POST", `/orders/${o.id}/ship`, {
        tracking_number: "Z1",
        tracking_company: "DHL",
        tracking_url: "https://dhl.example/Z1",
      })
      expect(ship.status).toBe(200)
      expect(ship.json.fulfillment).toMatchObject({
        status: "fulfilled",
        tracking_number: "Z1",
        tracking_company: "DHL",
      })
      expect(ship.json.order).toMatchObject({ status: "fulfilled", fulfillment_status: "shipped" })
      await r.waitFor(5)
      expect(events(r).sort()).toEqual([
        "fulfillment.create",
        "fulfillment.fulfilled",
        "order.finalized",
        "order.fulfilled",
        "variant.stock_level_update",
      ])
      r.received.length = 0

      const pay = await t.control("POST", `/orders/${o.id}/pay`)
      expect(pay.json.order.payment_status).toBe("paid")
      await r.waitFor(2)
      expect(events(r)).toEqual(["invoice.create", "payment.create"])
      r.received.length = 0

      await t.control("POST", "/variants/200002/stock", { stock_on_hand: 77 })
      await t.control("POST", "/products/100002/archive")
      await r.waitFor(2)
      const payloads = r.received.map((x) => JSON.parse(x.body))
      expect(payloads.map((p) => [p.event, p.object_id])).toEqual([
        ["variant.stock_level_update", 200002],
        ["product.destroy", 100002],
      ])
    } finally {
      await r.close()
    }
  })

  it("retries when the receiver does not answer in time", async () => {
    const slow = await start({ seed: false, webhookRetryDelaysMs: [10], webhookTimeoutMs: 100 })
    const r = await receiver(async (_req, n) => {
      if (n === 1) await new Promise((res) => setTimeout(res, 400))
      return 200
    })
    try {
      await slow.api("POST", "/webhooks", { webhook: { event: "location.create", address: r.url } })
      await slow.api("POST", "/locations", { location: { label: "L3", address1: "x", country: "US" } })
      const log = await eventually(async () => {
        const d = (await slow.control("GET", "/webhook-deliveries")).json
        return d.deliveries.length === 2 && d.deliveries[1].outcome === "delivered" ? d : undefined
      })
      expect(log.deliveries[0]).toMatchObject({ status: null, outcome: "retrying" })
      expect(log.deliveries[0].error).toMatch(/100 ms/)
    } finally {
      await r.close()
      await slow.close()
    }
  })

  it("deletes a subscription that has been failing for 3 days (sandbox clock)", async () => {
    const own = await start({ seed: false, webhookRetryDelaysMs: [300, 300] })
    const r = await receiver(() => 500)
    try {
      const id = (await own.api("POST", "/webhooks", { webhook: { event: "location.create", address: r.url } })).json
        .webhook.id
      await own.api("POST", "/locations", { location: { label: "L3", address1: "x", country: "US" } })
      await r.waitFor(1)
      await own.control("POST", "/clock", { advanceSeconds: 3 * 86400 })
      await r.waitFor(2)
      const log = await eventually(async () => {
        const d = (await own.control("GET", "/webhook-deliveries")).json
        return d.deliveries.length === 2 && d.deliveries[1].outcome !== "pending" ? d : undefined
      })
      expect(log.deliveries.map((d: { outcome: string }) => d.outcome)).toEqual(["retrying", "deleted"])
      expect((await own.api("GET", `/webhooks/${id}`)).status).toBe(404)
    } finally {
      await r.close()
      await own.close()
    }
  })
})
