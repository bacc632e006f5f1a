// Cross-cutting conventions: pagination, filters, ordering, sideloading, paths and headers.
import { createOrder, start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { products: 30, variantsPerProduct: 2, seed: 7 } })
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const pagination = (h: Headers) => JSON.parse(h.get("x-pagination") as string)
const ids = (rows: { id: number }[]) => rows.map((r) => r.id)

describe("Sandbox: TradeGecko API conventions", () => {
  describe("pagination", () => {
    it("walks every page with consistent X-Pagination headers", async () => {
      // 30 products, one archived → 29 visible; 58 variants, 2 archived → 58
      const seen: number[] = []
      for (let page = 1; page <= 3; page++) {
        const res = await t.api("GET", `/products?limit=10&page=${page}`)
        expect(pagination(res.headers)).toEqual({
          total_records: 29,
          total_pages: 3,
          first_page: page === 1,
          last_page: page === 3,
          out_of_bounds: false,
          offset: (page - 1) * 10,
        })
        seen.push(...ids(res.json.products))
      }
      expect(seen).toHaveLength(29)
      expect(new Set(seen).size).toBe(29)
      const beyond = await t.api("GET", "/products?limit=10&page=4")
      expect(beyond.json.products).toEqual([])
      expect(pagination(beyond.headers)).toMatchObject({ out_of_bounds: true, last_page: true, offset: 30 })
    })

    it("defaults to 50 per page", async () => {
      const res = await t.api("GET", "/variants")
      expect(res.json.variants).toHaveLength(50)
      expect(pagination(res.headers)).toMatchObject({ total_records: 58, total_pages: 2, last_page: false })
    })

    it("limit=0 returns no records and valid totals", async () => {
      const res = await t.api("GET", "/variants?limit=0")
      expect(res.status).toBe(200)
      expect(res.json.variants).toEqual([])
      expect(pagination(res.headers)).toEqual({
        total_records: 58,
        total_pages: 1,
        first_page: true,
        last_page: true,
        out_of_bounds: false,
        offset: 0,
      })
    })

    it("an empty collection has zero pages", async () => {
      const res = await t.api("GET", "/orders")
      expect(res.json.orders).toEqual([])
      expect(pagination(res.headers)).toEqual({
        total_records: 0,
        total_pages: 0,
        first_page: true,
        last_page: true,
        out_of_bounds: false,
        offset: 0,
      })
      expect(res.headers.get("link")).toBeNull()
    })

    it("limit above 250 is a 400", async () => {
      expect((await t.api("GET", "/variants?limit=250")).status).toBe(200)
      const res = await t.api("GET", "/variants?limit=251")
      expect(res.status).toBe(400)
      expect(res.json.type).toBe("Bad Request")
    })

    it("emits a Link header with next/last (and first/prev past page 1)", async () => {
      const first = await t.api("GET", "/products?limit=10")
      expect(first.headers.get("link")).toBe(
        `<${t.sb.url}/products?limit=10&page=2>; rel="next", <${t.sb.url}/products?limit=10&page=3>; rel="last"`
      )
      const second = await t.api("GET", "/products?limit=10&page=2")
      expect(second.headers.get("link")).toContain('page=1>; rel="first"')
      expect(second.headers.get("link")).toContain('page=1>; rel="prev"')
    })
  })

  describe("filters", () => {
    it("ids[] and comma ids", async () => {
      expect(ids((await t.api("GET", "/variants?ids[]=200001&ids[]=200003")).json.variants).sort()).toEqual([
        200001, 200003,
      ])
      expect(ids((await t.api("GET", "/variants?ids=200001,200002")).json.variants).sort()).toEqual([200001, 200002])
      const res = await t.api("GET", "/variants?ids%5B%5D=200004")
      expect(ids(res.json.variants)).toEqual([200004])
      expect(pagination(res.headers).total_records).toBe(1)
    })

    it("updated_at_min / created_at_max", async () => {
      const all = (await t.api("GET", "/products?limit=250")).json.products
      const pivot = all.map((p: { updated_at: string }) => p.updated_at).sort()[10]
      const newer = await t.api("GET", `/products?limit=250&updated_at_min=${encodeURIComponent(pivot)}`)
      expect(newer.json.products.every((p: { updated_at: string }) => p.updated_at >= pivot)).toBe(true)
      expect(newer.json.products.length).toBe(all.filter((p: { updated_at: string }) => p.updated_at >= pivot).length)
      // a change bumps updated_at so pollers see it
      await t.api("PUT", "/products/100001", { product: { name: "Renamed" } })
      const since = await t.api(
        "GET",
        `/products?updated_at_min=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`
      )
      expect(ids(since.json.products)).toEqual([100001])
      const old = await t.api("GET", "/products?limit=250&created_at_max=2024-01-01T09:02:00.500Z")
      expect(ids(old.json.products).sort()).toEqual([100001, 100002, 100003])
    })

    it("status: default hides archived; single, array and comma forms", async () => {
      const def = await t.api("GET", "/products?limit=250")
      expect(def.json.products.find((p: { status: string }) => p.status === "archived")).toBeUndefined()
      expect(ids((await t.api("GET", "/products?status=archived")).json.products)).toEqual([100004])
      expect(ids((await t.api("GET", "/products?status=disabled")).json.products)).toEqual([100008])
      const both = await t.api("GET", "/products?status[]=archived&status[]=disabled")
      expect(ids(both.json.products).sort()).toEqual([100004, 100008])
      expect(ids((await t.api("GET", "/products?status=archived,disabled")).json.products).sort()).toEqual([
        100004, 100008,
      ])
    })

    it("sku (not unique: the seeded duplicate returns two variants), product_id comma list", async () => {
      const sku = (await t.api("GET", "/variants/200001")).json.variant.sku
      const res = await t.api("GET", `/variants?sku=${sku}`)
      expect(ids(res.json.variants).sort()).toEqual([200001, 200013])
      expect(ids((await t.api("GET", "/variants?product_id=100002,100003")).json.variants).sort()).toEqual([
        200003, 200004, 200005, 200006,
      ])
      expect(ids((await t.api("GET", `/products?sku=${sku}`)).json.products).sort()).toEqual([100001, 100007])
    })

    it("email, company_id, order_number, tags, q", async () => {
      expect(ids((await t.api("GET", "/companies?email=buyer@acme.example")).json.companies)).toEqual([400002])
      expect(ids((await t.api("GET", "/addresses?company_id=400003")).json.addresses)).toEqual([500003])
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      await createOrder(t, [{ variant_id: 200002, quantity: 1 }], { company_id: 400002, shipping_address_id: 500002 })
      expect(ids((await t.api("GET", `/orders?order_number=${o.order_number}`)).json.orders)).toEqual([o.id])
      expect((await t.api("GET", "/orders?company_id=400002")).json.orders).toHaveLength(1)
      const online = (await t.api("GET", "/products?tags=online&limit=250")).json.products
      expect(online.length).toBeGreaterThan(5)
      expect(online.every((p: { tags: string }) => p.tags.split(",").includes("online"))).toBe(true)
      expect(ids((await t.api("GET", "/products?q=SBX-0002-S")).json.products)).toEqual([100002])
    })

    it("blank params are ignored", async () => {
      const a = await t.api("GET", "/variants?limit=5")
      const b = await t.api("GET", "/variants?limit=5&sku=&product_id=&status=&ids=&updated_at_min=")
      expect(ids(b.json.variants)).toEqual(ids(a.json.variants))
    })
  })

  describe("ordering", () => {
    it("defaults to most recent first, order=created_at asc reverses, ties broken by id", async () => {
      const desc = ids((await t.api("GET", "/products?limit=250")).json.products)
      const asc = ids((await t.api("GET", "/products?limit=250&order=created_at asc")).json.products)
      expect(desc[0]).toBe(100030)
      expect(asc).toEqual([...desc].reverse())
      expect(ids((await t.api("GET", "/products?limit=3&order=created_at+desc")).json.products)).toEqual(
        desc.slice(0, 3)
      )
    })
  })

  describe("sideloading", () => {
    it("include=variants on product show and index (plural top-level keys)", async () => {
      const show = await t.api("GET", "/products/100002?include=variants,images")
      expect(Object.keys(show.json)).toEqual(["variants", "images", "product"])
      expect(ids(show.json.variants)).toEqual([200003, 200004])
      const index = await t.api("GET", "/products?limit=2&include=variants")
      expect(index.json.variants).toHaveLength(4)
    })

    it("orders: include works on show only; belongs_to keys are plural", async () => {
      const o = await createOrder(t, [{ variant_id: 200001, quantity: 1 }])
      const show = await t.api(
        "GET",
        `/orders/${o.id}?include=order_line_items,shipping_address,billing_address,company`
      )
      expect(Object.keys(show.json).sort()).toEqual(["addresses", "companies", "order", "order_line_items"])
      expect(ids(show.json.addresses)).toEqual([500001]) // shipping = billing, deduplicated
      expect(ids(show.json.companies)).toEqual([400001])
      const index = await t.api("GET", "/orders?include=order_line_items,company")
      expect(Object.keys(index.json)).toEqual(["orders", "meta"])
    })
  })

  describe("paths and headers", () => {
    it("accepts a trailing slash and a .json suffix", async () => {
      expect((await t.api("GET", "/products/")).status).toBe(200)
      expect((await t.api("GET", "/products.json?limit=1")).json.products).toHaveLength(1)
      expect((await t.api("GET", "/products/100001.json")).json.product.id).toBe(100001)
    })

    it("JSON content type, X-Request-Id, rate-limit headers on every API answer", async () => {
      for (const res of [
        await t.api("GET", "/products/100001"),
        await t.api("GET", "/products/1"),
        await t.api("POST", "/products", { product: {} }),
      ]) {
        expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8")
        expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
        expect(res.headers.get("x-rate-limit-limit")).toBe("300")
      }
    })

    it("unknown routes are 404 with a Not Found body", async () => {
      const res = await t.api("GET", "/nonsense")
      expect(res.status).toBe(404)
      expect(res.json.type).toBe("Not Found")
    })

    it("malformed JSON is a 400", async () => {
      const res = await t.api("POST", "/products", "{nope", { "Content-Type": "application/json" })
      expect(res.status).toBe(400)
      expect(res.json.type).toBe("Bad Request")
    })

    it("honours If-None-Match with 304", async () => {
      const first = await t.api("GET", "/products/100001")
      const etag = first.headers.get("etag") as string
      expect(etag).toMatch(/^W\/"/)
      expect((await t.api("GET", "/products/100001", undefined, { "If-None-Match": etag })).status).toBe(304)
    })
  })
})
