// Idempotency-Key on POST/PUT: replay, conflicting reuse, in-flight conflict, 24 h expiry.
import { sleep, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 2 } })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const productCount = async () =>
  JSON.parse((await t.api("GET", "/products?limit=0")).headers.get("x-pagination") as string).total_records
const CONFLICT = { type: "Conflict", message: "Duplicate Idempotency Key header detected" }

describe("Sandbox: Idempotency-Key replay", () => {
  it("replays the original response for the same key and body without creating a second record", async () => {
    const before = await productCount()
    const body = { product: { name: "Once" } }
    const first = await t.api("POST", "/products", body, { "Idempotency-Key": "k-1" })
    const second = await t.api("POST", "/products", body, { "Idempotency-Key": "k-1" })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.text).toBe(first.text)
    expect(second.headers.get("location")).toBe(first.headers.get("location"))
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"))
    expect(await productCount()).toBe(before + 1)
    const log = (await t.control("GET", "/requests")).json
    expect(log.entries.filter((e: { idempotencyKey: string }) => e.idempotencyKey === "k-1")).toHaveLength(2)
  })

  it("replays 204 updates and 422 errors too", async () => {
    const put = { product: { name: "Renamed" } }
    expect((await t.api("PUT", "/products/100001", put, { "Idempotency-Key": "k-put" })).status).toBe(204)
    expect((await t.api("PUT", "/products/100001", put, { "Idempotency-Key": "k-put" })).status).toBe(204)
    const bad = { product: { name: "" } }
    const a = await t.api("POST", "/products", bad, { "Idempotency-Key": "k-bad" })
    const b = await t.api("POST", "/products", bad, { "Idempotency-Key": "k-bad" })
    expect([a.status, b.status]).toEqual([422, 422])
    expect(b.json).toEqual(a.json)
  })

  it("409 when the key is reused with a different body or path", async () => {
    await t.api("POST", "/products", { product: { name: "Alpha-Idem" } }, { "Idempotency-Key": "k-2" })
    const other = await t.api("POST", "/products", { product: { name: "Beta-Idem" } }, { "Idempotency-Key": "k-2" })
    expect(other.status).toBe(409)
    expect(other.json).toEqual(CONFLICT)
    const elsewhere = await t.api(
      "POST",
      "/companies",
      { product: { name: "Alpha-Idem" } },
      { "Idempotency-Key": "k-2" }
    )
    expect(elsewhere.status).toBe(409)
    expect((await t.api("GET", "/products?q=Beta-Idem")).json.products).toEqual([])
  })

  it("409 while the first request with the key is still in flight", async () => {
    await t.control("POST", "/faults", { mode: "delay", delayMs: 300, count: 1, methods: ["POST"], path: "^/orders$" })
    const body = { order: { company_id: 400001, shipping_address_id: 500001, issued_at: "2024-01-01" } }
    const slow = t.api("POST", "/orders", body, { "Idempotency-Key": "k-3" })
    await sleep(60)
    const dup = await t.api("POST", "/orders", body, { "Idempotency-Key": "k-3" })
    expect(dup.status).toBe(409)
    expect(dup.json).toEqual(CONFLICT)
    const first = await slow
    expect(first.status).toBe(201)
    const replay = await t.api("POST", "/orders", body, { "Idempotency-Key": "k-3" })
    expect(replay.json.order.id).toBe(first.json.order.id)
    expect((await t.api("GET", "/orders")).json.orders).toHaveLength(1)
  })

  it("a request that failed with an injected 5xx can be retried with the same key", async () => {
    await t.control("POST", "/faults", { mode: "503", count: 1, methods: ["POST"] })
    const body = { product: { name: "Retry me" } }
    expect((await t.api("POST", "/products", body, { "Idempotency-Key": "k-5" })).status).toBe(503)
    expect((await t.api("POST", "/products", body, { "Idempotency-Key": "k-5" })).status).toBe(201)
  })

  it("keys expire after 24 hours", async () => {
    await t.api("POST", "/products", { product: { name: "Day 1" } }, { "Idempotency-Key": "k-4" })
    await t.control("POST", "/clock", { advanceSeconds: 23 * 3600 })
    expect(
      (await t.api("POST", "/products", { product: { name: "Day 2" } }, { "Idempotency-Key": "k-4" })).status
    ).toBe(409)
    await t.control("POST", "/clock", { advanceSeconds: 3600 + 1 })
    const fresh = await t.api("POST", "/products", { product: { name: "Day 2" } }, { "Idempotency-Key": "k-4" })
    expect(fresh.status).toBe(201)
    expect(fresh.json.product.name).toBe("Day 2")
  })
})
