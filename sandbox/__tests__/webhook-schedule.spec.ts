// Webhook retries on TradeGecko's real schedule (Sidekiq backoff, 3-day removal),
// compressed in real time with webhookTimeScale; over real HTTP with a local receiver.
import { eventually, receiver, start, type TestSandbox } from "./helpers"

const DAY_S = 24 * 60 * 60
let t: TestSandbox
afterEach(() => t?.close())

describe("Sandbox webhooks: retry schedule and removal", () => {
  it("a receiver answering 500 sees retries on the Sidekiq schedule and the subscription is removed after 3 days of failures", async () => {
    // 3 days of schedule ≈ 2.6 s real time
    t = await start({ seed: { products: 2, variantsPerProduct: 1, history: false }, webhookTimeScale: 0.00001 })
    const r = await receiver(() => 500)
    try {
      const hook = (await t.api("POST", "/webhooks", { webhook: { event: "product.create", address: r.url } })).json
        .webhook
      const product = (await t.api("POST", "/products", { product: { name: "Never acknowledged" } })).json.product

      const log = await eventually(async () => {
        const res = (await t.control("GET", "/webhook-deliveries")).json
        return res.deliveries.some((d: any) => d.outcome === "deleted") && res.pending === 0 ? res : undefined
      }, 30_000)
      const attempts = log.deliveries.filter((d: any) => d.webhookId === hook.id)
      const times = attempts.map((d: any) => Date.parse(d.at) / 1000)

      // every attempt is the same delivery (one X-Gecko-Delivery) and reached the receiver
      expect(new Set(attempts.map((d: any) => d.id)).size).toBe(1)
      expect(r.received).toHaveLength(attempts.length)
      expect(new Set(r.received.map((x) => x.headers["x-gecko-delivery"]))).toEqual(new Set([attempts[0].id]))
      expect(r.received.every((x) => JSON.parse(x.body).object_id === product.id)).toBe(true)
      expect(attempts.map((d: any) => d.attempt)).toEqual(attempts.map((_: unknown, i: number) => i + 1))

      // gap before retry n (0-based) is n⁴ + 15 + rand(10)·(n + 1) seconds
      for (let n = 0; n < attempts.length - 1; n++) {
        const gap = times[n + 1] - times[n]
        expect(attempts[n]).toMatchObject({ status: 500, outcome: "retrying", retryInSeconds: gap })
        expect(gap).toBeGreaterThanOrEqual(n ** 4 + 15)
        expect(gap).toBeLessThanOrEqual(n ** 4 + 15 + 9 * (n + 1))
      }
      // the first gaps are seconds, later ones hours: 15–24 s, 16–34 s, 31–58 s … > 1 day before the end
      expect(times[1] - times[0]).toBeLessThan(25)
      expect(times.at(-1)! - times.at(-2)!).toBeGreaterThan(DAY_S / 2)

      // removed at the first failed attempt 3 days or more after the first failure, not before
      const last = attempts.at(-1)
      expect(last).toMatchObject({ status: 500, outcome: "deleted" })
      expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(3 * DAY_S)
      expect(times.at(-2)! - times[0]).toBeLessThan(3 * DAY_S)
      expect(attempts.length).toBeGreaterThanOrEqual(18)
      expect((await t.api("GET", `/webhooks/${hook.id}`)).status).toBe(404)
      expect((await t.api("GET", "/webhooks")).json.webhooks).toEqual([])
    } finally {
      await r.close()
    }
  }, 60_000)

  it("a success resets the 3-day failure window", async () => {
    t = await start({ seed: { products: 2, variantsPerProduct: 1, history: false }, webhookTimeScale: 0.00001 })
    // fails 16 attempts (≈ 2.9 days of schedule), then answers 200 once, then fails again
    const r = await receiver((_req, n) => (n <= 16 ? 503 : n === 17 ? 200 : 500))
    try {
      const hook = (await t.api("POST", "/webhooks", { webhook: { event: "product.create", address: r.url } })).json
        .webhook
      await t.api("POST", "/products", { product: { name: "Late" } })
      await eventually(
        async () =>
          (await t.control("GET", "/webhook-deliveries")).json.deliveries.some((d: any) => d.outcome === "delivered"),
        30_000
      )
      // more than 3 days after the first failure: without the reset the next failure would delete the subscription
      await t.control("POST", "/clock", { advanceSeconds: 3 * DAY_S + 60 })
      await t.api("POST", "/products", { product: { name: "Next" } })
      const log = await eventually(async () => {
        const d = (await t.control("GET", "/webhook-deliveries")).json.deliveries
        return d.length >= 18 && d[17].outcome !== "pending" ? d : undefined
      })
      expect(log.slice(0, 18).map((d: any) => d.outcome)).toEqual([
        ...Array(16).fill("retrying"),
        "delivered",
        "retrying",
      ])
      expect((await t.api("GET", `/webhooks/${hook.id}`)).status).toBe(200)
    } finally {
      await r.close()
    }
  }, 60_000)

  it("with webhookDuplicateRate a delivered notification can arrive again later with the same X-Gecko-Delivery", async () => {
    t = await start({
      seed: { products: 2, variantsPerProduct: 1, history: false },
      webhookTimeScale: 0.001,
      webhookDuplicateRate: 1,
    })
    const r = await receiver(() => 200)
    try {
      await t.api("POST", "/webhooks", { webhook: { event: "product.create", address: r.url } })
      await t.api("POST", "/products", { product: { name: "Twice" } })
      await r.waitFor(2, 10_000)
      expect(r.received[1].headers["x-gecko-delivery"]).toBe(r.received[0].headers["x-gecko-delivery"])
      expect(r.received[1].body).toBe(r.received[0].body)
      const log = (await t.control("GET", "/webhook-deliveries")).json.deliveries
      expect(log.map((d: any) => [d.outcome, d.duplicate])).toEqual([
        ["delivered", false],
        ["delivered", true],
      ])
      const gap = (Date.parse(log[1].at) - Date.parse(log[0].at)) / 1000
      expect(gap).toBeGreaterThanOrEqual(15)
    } finally {
      await r.close()
    }
  }, 30_000)
})
