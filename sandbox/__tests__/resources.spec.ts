// Contract tests per resource: paths, root keys, field types, status codes, validation.
import { start, type TestSandbox } from "./helpers"

let t: TestSandbox
beforeAll(async () => {
  t = await start({ seed: { history: false } }) // these tests count orders and stock from an account without history
})
afterAll(() => t.close())
beforeEach(() => t.control("POST", "/reset"))

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe("Sandbox: resources", () => {
  describe("products", () => {
    it("lists with the plural root key, string quantities and comma-string tags", async () => {
      const res = await t.api("GET", "/products?limit=3")
      expect(res.status).toBe(200)
      expect(Object.keys(res.json)).toEqual(["products", "meta"])
      const p = res.json.products[0]
      expect(typeof p.id).toBe("number")
      expect(p.created_at).toMatch(ISO_MS)
      expect(typeof p.quantity).toBe("string")
      expect(typeof p.tags).toBe("string")
      expect(p.variant_ids.every((id: unknown) => typeof id === "number")).toBe(true)
      expect(res.json.meta).toEqual({ total: 19 }) // 20 seeded, one archived
    })

    it("shows one product with the singular root key", async () => {
      const res = await t.api("GET", "/products/100001")
      expect(res.status).toBe(200)
      expect(Object.keys(res.json)).toEqual(["product"])
      expect(res.json.product).toMatchObject({
        id: 100001,
        status: "active",
        variant_ids: [200001, 200002, 200003],
        image_ids: [300001, 300002],
      })
      expect(res.json.product.image_url).toBe(
        `${t.sb.url}/__sandbox/images/300001/thumbnail_${res.json.product.image_url.split("thumbnail_")[1]}`
      )
    })

    it("creates (201 + body + Location), updates (204, no body) and soft-deletes (204 → archived)", async () => {
      const created = await t.api("POST", "/products", { product: { name: "Gary", opt1: "Size", tags: ["a", "b"] } })
      expect(created.status).toBe(201)
      expect(created.json.product).toMatchObject({
        name: "Gary",
        status: "active",
        tags: "a,b",
        quantity: "0",
        variant_ids: [],
      })
      const id = created.json.product.id
      expect(created.headers.get("location")).toBe(`${t.sb.url}/products/${id}`)

      const upd = await t.api("PUT", `/products/${id}`, { product: { description: "<b>new</b>" } })
      expect(upd.status).toBe(204)
      expect(upd.text).toBe("")
      expect((await t.api("GET", `/products/${id}`)).json.product.description).toBe("<b>new</b>")

      const del = await t.api("DELETE", `/products/${id}`)
      expect(del.status).toBe(204)
      expect((await t.api("GET", `/products/${id}`)).json.product.status).toBe("archived")
      const listed = await t.api("GET", `/products?ids=${id}`)
      expect(listed.json.products).toEqual([])
      expect((await t.api("GET", `/products?ids=${id}&status=archived`)).json.products).toHaveLength(1)
    })

    it("DELETE archives the variants too", async () => {
      await t.api("DELETE", "/products/100002")
      const v = await t.api("GET", "/variants/200004")
      expect(v.json.variant.status).toBe("archived")
      expect(v.json.variant.product_status).toBe("archived")
    })

    it("422 with Rails-style errors when name is blank", async () => {
      const res = await t.api("POST", "/products", { product: { name: "" } })
      expect(res.status).toBe(422)
      expect(res.json).toEqual({ errors: { name: ["can't be blank"] } })
    })

    it("400 when the root key is missing", async () => {
      const res = await t.api("POST", "/products", { name: "x" })
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ type: "Bad Request", message: "Required parameter missing: product" })
    })

    it("404 body names the class and id", async () => {
      const res = await t.api("GET", "/products/9")
      expect(res.status).toBe(404)
      expect(res.json).toEqual({ type: "Not Found", message: "Couldn't find Product with 'id'=9" })
    })

    it("accepts the 2014 form-encoded body", async () => {
      const res = await t.api("POST", "/products", "product%5Bname%5D=Gary&product%5Bopt1%5D=Size", {
        "Content-Type": "application/x-www-form-urlencoded",
      })
      expect(res.status).toBe(201)
      expect(res.json.product).toMatchObject({ name: "Gary", opt1: "Size" })
    })
  })

  describe("variants", () => {
    it("emits the 2020 shape: string money/stock, locations, variant_prices and deprecated hashes", async () => {
      const v = (await t.api("GET", "/variants/200001")).json.variant
      expect(v).toMatchObject({
        id: 200001,
        product_id: 100001,
        sku: "SBX-0001-S",
        manage_stock: true,
        keep_selling: false,
        status: "active",
      })
      for (const k of [
        "retail_price",
        "wholesale_price",
        "buy_price",
        "stock_on_hand",
        "committed_stock",
        "available_stock",
        "incoming_stock",
      ])
        expect(typeof v[k]).toBe("string")
      expect(v.retail_price).toMatch(/^\d+\.\d+$/)
      expect(v.variant_prices.map((p: { price_list_id: string }) => p.price_list_id)).toEqual([
        "retail",
        "wholesale",
        "buy",
        "1",
      ])
      expect(v.variant_prices[0]).toEqual({ price_list_id: "retail", value: v.retail_price })
      expect(v.prices).toMatchObject({ retail: v.retail_price, wholesale: v.wholesale_price, buy: v.buy_price })
      // product 1 has stock in both locations
      expect(v.locations.map((l: { location_id: number }) => l.location_id)).toEqual([1, 2])
      const sum = v.locations.reduce((s: number, l: { stock_on_hand: string }) => s + Number(l.stock_on_hand), 0)
      expect(v.stock_on_hand).toBe(String(sum))
      expect(v.available_stock).toBe(String(sum))
      expect(v.committed_stock).toBe("0")
      expect(v.locations[0]).toMatchObject({
        committed: null,
        incoming: 0,
        production_committed: 0,
        production_incoming: 0,
      })
      expect(Object.keys(v.locations[0])).toEqual(
        expect.arrayContaining([
          "location_id",
          "stock_on_hand",
          "committed",
          "incoming",
          "available",
          "bin_location",
          "reorder_point",
        ])
      )
      expect(v.stock_levels).toEqual({
        "1": `${v.locations[0].stock_on_hand}.0`,
        "2": `${v.locations[1].stock_on_hand}.0`,
      })
      expect(v.committed_stock_levels).toEqual({ "1": "0.0", "2": "0.0" })
    })

    it("creates with initial_stock_level (create-only) at the primary or given location", async () => {
      const res = await t.api("POST", "/variants", {
        variant: {
          product_id: 100001,
          sku: "NEW-1",
          name: "New",
          retail_price: "12.5",
          initial_stock_level: 7,
          initial_stock_location_id: 2,
          manage_stock: 1,
        },
      })
      expect(res.status).toBe(201)
      const v = res.json.variant
      expect(v).toMatchObject({
        sku: "NEW-1",
        retail_price: "12.5",
        stock_on_hand: "7",
        available_stock: "7",
        manage_stock: true,
      })
      expect(v.locations).toHaveLength(1)
      expect(v.locations[0]).toMatchObject({ location_id: 2, stock_on_hand: "7" })
      expect(v).not.toHaveProperty("initial_stock_level")
      expect((await t.api("GET", "/products/100001")).json.product.variant_ids).toContain(v.id)
    })

    it("PUT silently ignores stock fields (204, nothing changes, updated_at unchanged)", async () => {
      const before = (await t.api("GET", "/variants/200002")).json.variant
      const res = await t.api("PUT", "/variants/200002", {
        variant: {
          stock_on_hand: "999",
          committed_stock: "5",
          available_stock: "1",
          locations: [{ location_id: 1, stock_on_hand: "999" }],
        },
      })
      expect(res.status).toBe(204)
      const after = (await t.api("GET", "/variants/200002")).json.variant
      expect(after.stock_on_hand).toBe(before.stock_on_hand)
      expect(after.updated_at).toBe(before.updated_at)
    })

    it("default price lists only change via retail_price/…; variant_prices writes custom lists", async () => {
      const res = await t.api("PUT", "/variants/200001", {
        variant: {
          retail_price: "111.0",
          variant_prices: [
            { price_list_id: "retail", value: "1.0" },
            { price_list_id: "1", value: "77.5" },
          ],
        },
      })
      expect(res.status).toBe(204)
      const v = (await t.api("GET", "/variants/200001")).json.variant
      expect(v.retail_price).toBe("111.0")
      expect(v.variant_prices).toContainEqual({ price_list_id: "retail", value: "111.0" })
      expect(v.variant_prices).toContainEqual({ price_list_id: "1", value: "77.5" })
      const bad = await t.api("PUT", "/variants/200001", {
        variant: { variant_prices: [{ price_list_id: "424242", value: "1" }] },
      })
      expect(bad.status).toBe(422)
      expect(Object.keys(bad.json.errors)).toEqual(["variant_prices"])
    })

    it("product_id is required and must exist", async () => {
      expect((await t.api("POST", "/variants", { variant: { sku: "x" } })).json).toEqual({
        errors: { product_id: ["can't be blank"] },
      })
      expect((await t.api("POST", "/variants", { variant: { product_id: 1 } })).json).toEqual({
        errors: { product_id: ["is invalid"] },
      })
    })

    it("DELETE archives", async () => {
      expect((await t.api("DELETE", "/variants/200003")).status).toBe(204)
      expect((await t.api("GET", "/variants/200003")).json.variant.status).toBe("archived")
      expect(
        (await t.api("GET", "/variants?product_id=100001")).json.variants.map((v: { id: number }) => v.id)
      ).not.toContain(200003)
    })
  })

  describe("stock_levels (read-only)", () => {
    it("lists per-variant stock and refuses writes", async () => {
      const res = await t.api("GET", "/stock_levels?ids[]=200001")
      expect(res.status).toBe(200)
      expect(res.json.stock_levels).toHaveLength(1)
      const s = res.json.stock_levels[0]
      expect(s).toMatchObject({ variant_id: 200001, committed_stock: "0", incoming_stock: "0" })
      expect(s.available_stock).toBe(s.stock_on_hand)
      expect((await t.api("GET", "/stock_levels/200001")).json.stock_level.variant_id).toBe(200001)
      expect((await t.api("PUT", "/stock_levels/200001", { stock_level: {} })).status).toBe(404)
      expect((await t.api("POST", "/stock_levels", { stock_level: {} })).status).toBe(404)
    })
  })

  describe("images", () => {
    it("creates from a URL (base_path + file_name give it back) and has no update", async () => {
      const res = await t.api("POST", "/images", {
        image: { product_id: 100002, variant_ids: [200004], url: "https://cdn.example/p/shoe.png" },
      })
      expect(res.status).toBe(201)
      expect(res.json.image).toMatchObject({
        product_id: 100002,
        variant_id: 200004,
        variant_ids: [200004],
        base_path: "https://cdn.example/p",
        file_name: "shoe.png",
        position: 1,
      })
      expect((await t.api("PUT", `/images/${res.json.image.id}`, { image: { name: "x" } })).status).toBe(404)
      expect((await t.api("GET", "/variants/200004")).json.variant.image_ids).toEqual([res.json.image.id])
      expect((await t.api("GET", "/images?product_id=100002")).json.images).toHaveLength(1)
    })

    it("seeded images are served by the sandbox", async () => {
      const img = (await t.api("GET", "/images/300001")).json.image
      const r = await fetch(`${img.base_path}/${img.file_name}`)
      expect(r.status).toBe(200)
      expect(r.headers.get("content-type")).toBe("image/png")
    })
  })

  describe("price_lists", () => {
    it("has string ids for the built-ins and integer ids for custom lists", async () => {
      const res = await t.api("GET", "/price_lists")
      const ids = res.json.price_lists.map((p: { id: unknown }) => p.id).sort()
      expect(ids).toEqual([1, "buy", "retail", "wholesale"].sort())
      expect((await t.api("GET", "/price_lists/buy")).json.price_list).toMatchObject({
        id: "buy",
        code: "BUY",
        is_cost: true,
        is_default: true,
        currency_iso: "USD",
      })
      const created = await t.api("POST", "/price_lists", { price_list: { name: "VIP", code: "VIP", currency_id: 1 } })
      expect(created.status).toBe(201)
      expect(typeof created.json.price_list.id).toBe("number")
      expect((await t.api("PUT", "/price_lists/retail", { price_list: { name: "x" } })).status).toBe(422)
      expect((await t.api("DELETE", "/price_lists/retail")).status).toBe(422)
      expect((await t.api("DELETE", `/price_lists/${created.json.price_list.id}`)).status).toBe(204)
    })
  })

  describe("locations", () => {
    it("CRUD with label uniqueness among active locations", async () => {
      const dup = await t.api("POST", "/locations", {
        location: { label: "Primary Location", address1: "x", country: "US" },
      })
      expect(dup.json).toEqual({ errors: { label: ["has already been taken"] } })
      const missing = await t.api("POST", "/locations", { location: { label: "X" } })
      expect(missing.json.errors).toEqual({ address1: ["can't be blank"], country: ["can't be blank"] })
      const ok = await t.api("POST", "/locations", { location: { label: "Third", address1: "3 Road", country: "US" } })
      expect(ok.status).toBe(201)
      expect(ok.json.location).toMatchObject({ label: "Third", holds_stock: true, status: "active" })
      expect(
        (await t.api("PUT", `/locations/${ok.json.location.id}`, { location: { city: "Ogdenville" } })).status
      ).toBe(204)
      expect((await t.api("DELETE", `/locations/${ok.json.location.id}`)).status).toBe(204)
      expect((await t.api("GET", `/locations/${ok.json.location.id}`)).json.location.status).toBe("archived")
    })
  })

  describe("companies, addresses, contacts", () => {
    it("company CRUD + validation + irregular plural", async () => {
      const bad = await t.api("POST", "/companies", { company: { name: "X", company_type: "robot" } })
      expect(bad.json).toEqual({ errors: { company_type: ["is not included in the list"] } })
      const res = await t.api("POST", "/companies", {
        company: { name: "Jane Doe", company_type: "consumer", email: "jane@example.com", tags: ["vip"] },
      })
      expect(res.status).toBe(201)
      expect(res.json.company).toMatchObject({
        name: "Jane Doe",
        company_type: "consumer",
        tags: ["vip"],
        address_ids: [],
        contact_ids: [],
      })
      const list = await t.api("GET", "/companies?email=jane@example.com")
      expect(list.json.companies.map((c: { id: number }) => c.id)).toEqual([res.json.company.id])
      expect((await t.api("DELETE", `/companies/${res.json.company.id}`)).status).toBe(204)
      expect((await t.api("GET", `/companies/${res.json.company.id}`)).json.company.status).toBe("archived")
    })

    it("address PUT answers 200 with the record; country_code is derived", async () => {
      const res = await t.api("POST", "/addresses", {
        address: { company_id: 400002, address1: "1 Main St", country: "New Zealand", label: "Warehouse" },
      })
      expect(res.status).toBe(201)
      expect(res.json.address).toMatchObject({ company_id: 400002, country_code: "NZ", status: "active" })
      const upd = await t.api("PUT", `/addresses/${res.json.address.id}`, { address: { city: "Wellington" } })
      expect(upd.status).toBe(200)
      expect(upd.json.address).toMatchObject({ id: res.json.address.id, city: "Wellington" })
      const dup = await t.api("POST", "/addresses", {
        address: { company_id: 400002, address1: "2 Main St", label: "Warehouse" },
      })
      expect(dup.json).toEqual({ errors: { label: ["has already been taken"] } })
      expect((await t.api("GET", "/addresses?company_id=400002")).json.addresses).toHaveLength(2)
    })

    it("contacts require company_id and first_name; phone is the legacy name of phone_number", async () => {
      expect((await t.api("POST", "/contacts", { contact: {} })).json.errors).toEqual({
        company_id: ["can't be blank"],
        first_name: ["can't be blank"],
      })
      const res = await t.api("POST", "/contacts", { contact: { company_id: 400001, first_name: "Ann", phone: "123" } })
      expect(res.json.contact).toMatchObject({ first_name: "Ann", phone_number: "123", phone: "123" })
      expect((await t.api("GET", "/companies/400001?include=contacts")).json.contacts).toHaveLength(2)
    })
  })

  describe("currencies, tax types, payment methods", () => {
    it("currencies", async () => {
      const res = await t.api("POST", "/currencies", {
        currency: { iso: "gbp", name: "Pound", rate: 0.8, symbol: "£" },
      })
      expect(res.json.currency).toMatchObject({ iso: "GBP", rate: "0.8", precision: 2, subunit: 100 })
      expect((await t.api("POST", "/currencies", { currency: { iso: "POUND" } })).status).toBe(422)
      expect((await t.api("GET", "/currencies?iso=EUR")).json.currencies[0].rate).toBe("0.92")
    })

    it("tax types embed components and always sideload them on lists", async () => {
      const res = await t.api("POST", "/tax_types", {
        tax_type: {
          name: "GST+PST",
          code: "GP",
          tax_components: [
            { label: "GST", rate: "5.0" },
            { label: "PST", rate: 7 },
          ],
        },
      })
      expect(res.status).toBe(201)
      expect(res.json.tax_type).toMatchObject({ name: "GST+PST", effective_rate: "12.0", status: "active" })
      expect(res.json.tax_type.tax_component_ids).toHaveLength(2)
      const list = await t.api("GET", "/tax_types")
      expect(Object.keys(list.json)).toEqual(["tax_components", "tax_types"])
      expect(
        (await t.api("GET", `/tax_components?tax_type_id=${res.json.tax_type.id}`)).json.tax_components.map(
          (c: { rate: string }) => c.rate
        )
      ).toEqual(["5.0", "7.0"])
    })

    it("payment methods", async () => {
      const list = await t.api("GET", "/payment_methods?order=id asc")
      expect(list.json.payment_methods.map((m: { name: string }) => m.name)).toEqual([
        "Cash",
        "Credit Card",
        "Bank Transfer",
      ])
    })
  })

  describe("account and user", () => {
    it("GET /accounts/current and PUT (204, account.update)", async () => {
      const res = await t.api("GET", "/accounts/current")
      expect(res.json.account).toMatchObject({
        id: 1,
        default_currency_id: 1,
        primary_location_id: 1,
        default_tax_treatment: "exclusive",
        location_ids: [1, 2],
      })
      expect((await t.api("PUT", "/accounts/current", { account: { name: "Renamed" } })).status).toBe(204)
      expect((await t.api("GET", "/accounts/current")).json.account.name).toBe("Renamed")
      expect((await t.api("POST", "/accounts", { account: {} })).status).toBe(404)
    })

    it("GET /users/current", async () => {
      const res = await t.api("GET", "/users/current")
      expect(res.json.user).toMatchObject({ id: 1, account_id: 1, status: "active" })
      expect(res.json.user.permissions).toContain("write_orders")
      expect((await t.api("POST", "/users", { user: { first_name: "x" } })).status).toBe(404)
    })
  })

  describe("webhooks resource", () => {
    it("CRUD, one event per webhook, oauth_application_id", async () => {
      const bad = await t.api("POST", "/webhooks", { webhook: { event: "order.update", address: "ftp://x" } })
      expect(bad.json.errors).toEqual({ event: ["is not included in the list"], address: ["is invalid"] })
      const res = await t.api("POST", "/webhooks", {
        webhook: { event: "product.create", address: "https://example.com/hooks" },
      })
      expect(res.status).toBe(201)
      expect(res.json.webhook).toMatchObject({
        event: "product.create",
        address: "https://example.com/hooks",
        oauth_application_id: 1,
      })
      expect(
        (await t.api("PUT", `/webhooks/${res.json.webhook.id}`, { webhook: { address: "https://example.com/v2" } }))
          .status
      ).toBe(204)
      expect((await t.api("GET", "/webhooks")).json.webhooks[0].address).toBe("https://example.com/v2")
      expect((await t.api("DELETE", `/webhooks/${res.json.webhook.id}`)).status).toBe(204)
      expect((await t.api("GET", `/webhooks/${res.json.webhook.id}`)).status).toBe(404)
    })
  })
})
