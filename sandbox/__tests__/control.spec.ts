// The /__sandbox control API: seed determinism and layout, stock/patch hooks, faults, down/up, request log, clock.
import { request, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { history: false } }) // these tests count orders and stock from an account without history
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const ids = (rows: { id: number }[]) => rows.map((r) => r.id)

describe("Sandbox: control API", () => {
  describe("seed", () => {
    async function catalog(s: TestSandbox): Promise<string> {
      const parts: string[] = []
      for (const path of [
        "/products?limit=250&status=active,disabled,archived",
        "/variants?limit=250&status=active,archived",
        "/images?limit=250",
        "/companies",
        "/addresses",
        "/price_lists",
        "/locations",
      ])
        parts.push((await s.api("GET", path)).text.split(s.sb.url).join("<base>"))
      return parts.join("\n")
    }

    it("same seed → byte-identical catalog; another seed → different", async () => {
      const a = await start({ seed: { products: 25, variantsPerProduct: 4, seed: 42 } })
      const b = await start({ seed: { products: 25, variantsPerProduct: 4, seed: 42 } })
      const c = await start({ seed: { products: 25, variantsPerProduct: 4, seed: 43 } })
      try {
        const [ca, cb, cc] = await Promise.all([catalog(a), catalog(b), catalog(c)])
        expect(ca).toBe(cb)
        expect(ca).not.toBe(cc)
        expect(JSON.parse(ca.split("\n")[1]).variants).toHaveLength(100)
      } finally {
        await Promise.all([a.close(), b.close(), c.close()])
      }
    })

    it("covers every stock rule", async () => {
      const products = (
        await t.api("GET", "/products?limit=250&status=active,disabled,archived&order=id asc&include=variants")
      ).json
      expect(products.products).toHaveLength(20)
      const variantsOf = (pid: number) => products.variants.filter((v: { product_id: number }) => v.product_id === pid)
      const p = (i: number) => products.products[i]
      // 0: images + split stock across both locations
      expect(p(0).image_ids).toHaveLength(2)
      expect(variantsOf(p(0).id)[0].locations.map((l: { location_id: number }) => l.location_id)).toEqual([1, 2])
      // 1: keep_selling variant with no stock
      expect(variantsOf(p(1).id)[0]).toMatchObject({ keep_selling: true, stock_on_hand: "0" })
      // 2: nothing to sell
      expect(variantsOf(p(2).id).length).toBeGreaterThan(0)
      expect(
        variantsOf(p(2).id).every(
          (v: { stock_on_hand: string; keep_selling: boolean }) => v.stock_on_hand === "0" && !v.keep_selling
        )
      ).toBe(true)
      // 3: archived
      expect(p(3).status).toBe("archived")
      expect(variantsOf(p(3).id).length).toBeGreaterThan(0)
      expect(variantsOf(p(3).id).every((v: { status: string }) => v.status === "archived")).toBe(true)
      // 4: max_online below stock
      expect(variantsOf(p(4).id)[0]).toMatchObject({ max_online: "5", stock_on_hand: "40" })
      // 5: manage_stock false
      expect(variantsOf(p(5).id)[0].manage_stock).toBe(false)
      // 6: duplicated SKU
      expect(variantsOf(p(6).id)[0].sku).toBe(variantsOf(p(0).id)[0].sku)
      // 7: disabled, not online
      expect(p(7).status).toBe("disabled")
      expect(p(7).tags.split(",")).not.toContain("online")
      expect(p(0).tags.split(",")).toContain("online")
    })

    it("reset reseeds with new options and wipes created data", async () => {
      await t.api("POST", "/products", { product: { name: "temp" } })
      const res = await t.control("POST", "/reset", { seed: { products: 4, variantsPerProduct: 1, seed: 3 } })
      expect(res.json.counts).toMatchObject({ products: 4, variants: 4, orders: 0 })
      expect((await t.api("GET", "/products?q=temp")).json.products).toEqual([])
      const empty = await t.control("POST", "/reset", { seed: false })
      expect(empty.json.counts).toMatchObject({ products: 0, companies: 0, locations: 2, currencies: 2 })
    })
  })

  describe("data hooks", () => {
    it("sets stock per location and bumps updated_at", async () => {
      const before = (await t.api("GET", "/variants/200004")).json.variant
      const res = await t.control("POST", "/variants/200004/stock", { stock_on_hand: 12, location_id: 2 })
      expect(res.status).toBe(200)
      expect(res.json.variant.locations.find((l: { location_id: number }) => l.location_id === 2).stock_on_hand).toBe(
        "12"
      )
      expect(res.json.variant.updated_at > before.updated_at).toBe(true)
      expect((await t.control("POST", "/variants/1/stock", { stock_on_hand: 1 })).status).toBe(404)
    })

    it("patches any field, read-only ones included", async () => {
      const res = await t.control("POST", "/variants/200001", {
        stock_on_hand: 3,
        max_online: 2,
        status: "archived",
        sku: "PATCHED",
      })
      expect(res.json.variant).toMatchObject({ max_online: "2", status: "archived", sku: "PATCHED" })
      expect(res.json.variant.locations[0].stock_on_hand).toBe("3")
      const product = await t.control("POST", "/products/100002", {
        name: "Patched product",
        created_at: "2020-01-01T00:00:00.000Z",
      })
      expect(product.json.product).toMatchObject({ name: "Patched product", created_at: "2020-01-01T00:00:00.000Z" })
      const o = (
        await t.api("POST", "/orders", {
          order: { company_id: 400001, shipping_address_id: 500001, issued_at: "2024-01-01" },
        })
      ).json.order
      expect(
        (await t.control("POST", `/orders/${o.id}`, { notes: "patched", reference_number: "R-1" })).json.order
      ).toMatchObject({ notes: "patched", reference_number: "R-1" })
    })

    it("archives a product", async () => {
      const res = await t.control("POST", "/products/100001/archive")
      expect(res.json.product.status).toBe("archived")
      expect(ids((await t.api("GET", "/products?status=archived")).json.products)).toContain(100001)
    })

    it("ships part of an order", async () => {
      const o = (
        await t.api("POST", "/orders", {
          order: {
            company_id: 400001,
            shipping_address_id: 500001,
            issued_at: "2024-01-01",
            status: "finalized",
            order_line_items: [
              { variant_id: 200001, quantity: 2 },
              { variant_id: 200002, quantity: 1 },
            ],
          },
        })
      ).json.order
      const res = await t.control("POST", `/orders/${o.id}/ship`, {
        tracking_number: "P1",
        line_items: [{ order_line_item_id: o.order_line_item_ids[0], quantity: 1 }],
      })
      expect(res.json.order).toMatchObject({ status: "finalized", fulfillment_status: "partial" })
      const draft = (
        await t.api("POST", "/orders", {
          order: { company_id: 400001, shipping_address_id: 500001, issued_at: "2024-01-01" },
        })
      ).json.order
      expect((await t.control("POST", `/orders/${draft.id}/ship`, {})).status).toBe(422)
      expect((await t.control("POST", `/orders/${o.id}/void`)).json.order.status).toBe("void")
    })

    it("reports state", async () => {
      const s = (await t.control("GET", "/state")).json
      expect(s.counts).toMatchObject({ products: 20, variants: 60, locations: 2 })
      expect(s.rateLimit).toEqual({ limit: 300, windowSeconds: 300 })
      expect(s.down).toBe(false)
    })
  })

  describe("faults", () => {
    afterEach(() => t.control("DELETE", "/faults"))

    it("500 for the first n matching requests only", async () => {
      await t.control("POST", "/faults", { mode: "500", count: 2, methods: ["GET"], path: "^/products" })
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await t.api("GET", "/products?limit=1")).status)
      expect(statuses).toEqual([500, 500, 200])
      expect((await t.api("GET", "/variants?limit=1")).status).toBe(200)
    })

    it("503 and 429 bodies and headers", async () => {
      await t.control("POST", "/faults", { mode: "503", count: 1 })
      const u = await t.api("GET", "/products")
      expect(u.status).toBe(503)
      expect(u.json.type).toBe("Service Unavailable")
      await t.control("POST", "/faults", { mode: "429", count: 1 })
      const r = await t.api("GET", "/products")
      expect(r.status).toBe(429)
      expect(r.headers.get("x-rate-limit-remaining")).toBe("0")
      expect(Number(r.headers.get("x-rate-limit-reset")) % 300).toBe(0)
    })

    it("rate picks requests with a seeded PRNG (same sequence every time)", async () => {
      const run = async () => {
        await t.control("DELETE", "/faults")
        await t.control("POST", "/faults", { mode: "500", rate: 0.5, seed: 9 })
        const out: number[] = []
        for (let i = 0; i < 12; i++) out.push((await t.api("GET", "/locations")).status)
        return out
      }
      const a = await run()
      const b = await run()
      expect(a).toEqual(b)
      expect(a).toContain(500)
      expect(a).toContain(200)
    })

    it("hang holds the request until hangMs, then drops the connection; reset drops at once", async () => {
      await t.control("POST", "/faults", { mode: "hang", hangMs: 150, count: 1 })
      const started = Date.now()
      await expect(t.api("GET", "/products")).rejects.toThrow()
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
      await t.control("POST", "/faults", { mode: "reset", count: 1 })
      await expect(t.api("GET", "/products")).rejects.toThrow()
      expect((await t.api("GET", "/products")).status).toBe(200)
    })

    it("rejects invalid rules", async () => {
      expect((await t.control("POST", "/faults", { mode: "explode" })).status).toBe(400)
      expect((await t.control("POST", "/faults", { mode: "500", rate: 2 })).status).toBe(400)
    })
  })

  describe("down / up", () => {
    afterEach(() => t.control("POST", "/up"))

    it("drops connections (default) or answers 503 while down; control keeps working", async () => {
      await t.control("POST", "/down")
      await expect(t.api("GET", "/products")).rejects.toThrow()
      expect((await t.control("GET", "/state")).json.down).toBe("reset")
      await t.control("POST", "/down", { mode: "503" })
      expect((await t.api("GET", "/products")).status).toBe(503)
      await t.control("POST", "/up")
      expect((await t.api("GET", "/products")).status).toBe(200)
    })
  })

  describe("request log", () => {
    it("counts normalised paths and records status and idempotency keys", async () => {
      await t.control("DELETE", "/requests")
      await t.api("GET", "/products/100001")
      await t.api("GET", "/products/100002.json")
      await t.api("GET", "/products?limit=1")
      await t.api("GET", "/price_lists/retail")
      await t.api("POST", "/products", { product: { name: "x" } }, { "Idempotency-Key": "abc" })
      await request(`${t.sb.url}/products`) // 401, still logged
      const log = (await t.control("GET", "/requests")).json
      expect(log.total).toBe(6)
      expect(log.counts).toEqual({
        "GET /products/:id": 2,
        "GET /products": 2,
        "GET /price_lists/:id": 1,
        "POST /products": 1,
      })
      expect(log.entries[1]).toMatchObject({
        method: "GET",
        path: "/products/:id",
        url: "/products/100002.json",
        status: 200,
        idempotencyKey: null,
      })
      expect(log.entries[4]).toMatchObject({ status: 201, idempotencyKey: "abc" })
      expect(log.entries[5].status).toBe(401)
      await t.control("DELETE", "/requests")
      expect((await t.control("GET", "/requests")).json).toEqual({ total: 0, counts: {}, entries: [] })
    })
  })

  describe("clock", () => {
    it("advances the sandbox clock used for timestamps", async () => {
      const res = await t.control("POST", "/clock", { advanceSeconds: 86400 })
      expect(res.json.offsetSeconds).toBeGreaterThanOrEqual(86400)
      const p = (await t.api("POST", "/products", { product: { name: "Tomorrow" } })).json.product
      expect(Date.parse(p.created_at) - Date.now()).toBeGreaterThan(86_000_000)
      await t.control("POST", "/clock", { advanceSeconds: -res.json.offsetSeconds })
    })
  })
})
