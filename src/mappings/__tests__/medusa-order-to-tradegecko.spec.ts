import {
  acceptanceLinesOf,
  mapMedusaOrderToTradegecko,
  tradegeckoTotal,
  type MedusaOrderForTradegecko,
} from "../medusa-order-to-tradegecko"

const order = (over: Partial<MedusaOrderForTradegecko> = {}): MedusaOrderForTradegecko => ({
  id: "order_1",
  display_id: 7,
  email: "sam@example.com",
  currency_code: "usd",
  created_at: "2026-11-23T10:00:00Z",
  sales_channel_id: "sc_1",
  items: [
    {
      id: "li_1",
      product_title: "Tee",
      variant_title: "S",
      variant_id: "variant_a",
      quantity: 2,
      unit_price: 25,
      tax_lines: [{ rate: 10 }],
      adjustments: [{ amount: 5, code: "SUMMER" }],
    },
    {
      id: "li_2",
      product_title: "Gift wrap",
      variant_id: "variant_local",
      variant_sku: "WRAP",
      quantity: 1,
      unit_price: 3.5,
      tax_lines: [],
    },
  ],
  shipping_methods: [{ name: "Standard", amount: 10, tax_lines: [{ rate: 10 }] }],
  shipping_address: {
    first_name: "Sam",
    last_name: "Shopper",
    address_1: "1 Main St",
    city: "Springfield",
    country_code: "us",
    postal_code: "94001",
  },
  billing_address: null,
  ...over,
})

describe("Orders → TradeGecko: order mapping", () => {
  describe("mapMedusaOrderToTradegecko", () => {
    it("maps linked variants, freeform unknown items, shipping and promotions with Medusa's tax rates", () => {
      const { body, lines } = mapMedusaOrderToTradegecko(order(), {
        variantMap: { variant_a: 200001 },
        companyId: null,
        status: "active",
      })
      expect(body.order_line_items).toEqual([
        { variant_id: 200001, line_type: "product", quantity: "2", price: "25.00", tax_rate_override: "10" },
        {
          freeform: true,
          label: "Gift wrap (WRAP)",
          line_type: "product",
          quantity: "1",
          price: "3.50",
          tax_rate_override: "0",
        },
        {
          freeform: true,
          line_type: "shipping",
          label: "Shipping: Standard",
          quantity: "1",
          price: "10.00",
          tax_rate_override: "10",
        },
        {
          freeform: true,
          line_type: "discount",
          label: "Promotion SUMMER",
          quantity: "1",
          price: "-5.00",
          tax_rate_override: "10",
        },
      ])
      expect(lines[0].medusa_line_item_id).toBe("li_1")
      expect(body).toMatchObject({
        company: { name: "Sam Shopper", email: "sam@example.com", company_type: "consumer" },
        currency_iso: "USD",
        issued_at: "2026-11-23",
        reference_number: "#7",
        status: "active",
        tax_treatment: "exclusive",
        tags: ["medusa", "medusa:sc_1"],
      })
      expect(body.shipping_address).toMatchObject({ address1: "1 Main St", country: "US", label: "Order #7 shipping" })
      expect(body.billing_address).toMatchObject({ address1: "1 Main St", label: "Order #7 billing" })
    })

    it("uses the known company; shipping keeps the tax Medusa charged on it when no item is taxed", () => {
      const { body } = mapMedusaOrderToTradegecko(
        order({ items: [{ id: "li", variant_id: "variant_a", quantity: 1, unit_price: 9.999, tax_lines: [] }] }),
        { variantMap: { variant_a: 1 }, companyId: 42, status: "draft" }
      )
      expect((body as { company_id?: number }).company_id).toBe(42)
      expect("company" in body).toBe(false)
      expect(body.order_line_items[0].price).toBe("10.00")
      expect(body.order_line_items[1]).toMatchObject({ line_type: "shipping", tax_rate_override: "10" })
      expect(body.status).toBe("draft")
    })
  })

  describe("mapMedusaOrderToTradegecko: totals equal Medusa's", () => {
    const ctx = { variantMap: { variant_a: 200001 }, companyId: 3, status: "active" as const }
    it("a 15 % promotion on 19.99 × 3 (8.9955 off): the lines alone already give Medusa's 67.07, no rounding line", () => {
      // Medusa: (59.97 − 8.9955) × 1.1 + 11 = 67.071950 → 67.07; the lines alone: (59.97 − 9.00) × 1.1 + 11 = 67.067 → 67.07
      const o = order({
        total: 67.07195,
        items: [
          {
            id: "li_1",
            variant_id: "variant_a",
            quantity: 3,
            unit_price: 19.99,
            tax_lines: [{ rate: 10 }],
            adjustments: [{ amount: 8.9955, code: "P15" }],
          },
        ],
        shipping_methods: [{ name: "Standard", amount: 10, tax_lines: [{ rate: 10 }] }],
      })
      const { body } = mapMedusaOrderToTradegecko(o, ctx)
      expect(body.order_line_items.map((l) => [l.line_type, l.price])).toEqual([
        ["product", "19.99"],
        ["shipping", "10.00"],
        ["discount", "-9.00"],
      ])
      expect(tradegeckoTotal(body.order_line_items, "exclusive", 2).toFixed(2)).toBe("67.07")
    })

    it("adds a rounding line where the rounded discount would be a cent off", () => {
      // Medusa: (10.10 − 0.505) × 1.1 + 11 = 21.5545 → 21.55; the lines alone: (10.10 − 0.51) × 1.1 + 11 = 21.549 → 21.55;
      // 3 × 3.35 at 5 % off: (10.05 − 0.5025) × 1.1 = 10.50225 + 11 = 21.50225 → 21.50 ; lines: (10.05 − 0.50) × 1.1 + 11 = 21.505 → 21.51
      const o = order({
        total: 21.50225,
        items: [
          {
            id: "li_1",
            variant_id: "variant_a",
            quantity: 3,
            unit_price: 3.35,
            tax_lines: [{ rate: 10 }],
            adjustments: [{ amount: 0.5025, code: "P5" }],
          },
        ],
        shipping_methods: [{ name: "Standard", amount: 10, tax_lines: [{ rate: 10 }] }],
      })
      const { body } = mapMedusaOrderToTradegecko(o, ctx)
      expect(body.order_line_items.slice(2)).toEqual([
        {
          freeform: true,
          line_type: "discount",
          label: "Promotion P5",
          quantity: "1",
          price: "-0.50",
          tax_rate_override: "10",
        },
        {
          freeform: true,
          line_type: "rounding",
          label: "Rounding",
          quantity: "1",
          price: "-0.01",
          tax_rate_override: "0",
        },
      ])
      expect(tradegeckoTotal(body.order_line_items, "exclusive", 2).toFixed(2)).toBe("21.50")
    })

    it("prices in the currency's decimals: JPY none, KWD three", () => {
      const jpy = mapMedusaOrderToTradegecko(
        order({
          currency_code: "jpy",
          total: 2750,
          items: [{ id: "li", variant_id: "variant_a", quantity: 1, unit_price: 1500, tax_lines: [{ rate: 10 }] }],
          shipping_methods: [{ name: "Std", amount: 1000, tax_lines: [{ rate: 10 }] }],
        }),
        ctx
      )
      expect(jpy.body.order_line_items.map((l) => l.price)).toEqual(["1500", "1000"])
      const kwd = mapMedusaOrderToTradegecko(
        order({
          currency_code: "kwd",
          total: 13.9615,
          items: [{ id: "li", variant_id: "variant_a", quantity: 1, unit_price: 12.345, tax_lines: [{ rate: 5 }] }],
          shipping_methods: [{ name: "Std", amount: 0.952, tax_lines: [{ rate: 5 }] }],
        }),
        ctx
      )
      expect(kwd.body.order_line_items.map((l) => l.price)).toEqual(["12.345", "0.952"])
      expect(tradegeckoTotal(kwd.body.order_line_items, "exclusive", 3).toFixed(3)).toBe("13.962")
    })

    it("tax-inclusive items make a tax-inclusive order; tax-exclusive shipping is converted to what it costs with tax", () => {
      const o = order({
        total: 34.3,
        items: [
          {
            id: "li",
            variant_id: "variant_a",
            quantity: 1,
            unit_price: 23.3,
            is_tax_inclusive: true,
            tax_lines: [{ rate: 10 }],
          },
        ],
        shipping_methods: [{ name: "Standard", amount: 10, is_tax_inclusive: false, tax_lines: [{ rate: 10 }] }],
      })
      const { body } = mapMedusaOrderToTradegecko(o, ctx)
      expect(body.tax_treatment).toBe("inclusive")
      expect(body.order_line_items.map((l) => l.price)).toEqual(["23.30", "11.00"])
    })

    it("a gap larger than rounding (something Medusa charged the lines do not show) is not hidden in a rounding line", () => {
      const o = order({
        total: 50,
        items: [{ id: "li", variant_id: "variant_a", quantity: 1, unit_price: 25, tax_lines: [] }],
        shipping_methods: [],
      })
      expect(mapMedusaOrderToTradegecko(o, ctx).body.order_line_items.map((l) => l.line_type)).toEqual(["product"])
    })
  })

  describe("mapMedusaOrderToTradegecko: no Medusa tax region for the shipping country", () => {
    it("sends 0 % on lines Medusa did not tax, so TradeGecko's total is what the customer paid", () => {
      const o = order({
        items: [
          { id: "li_1", product_title: "Tee", variant_id: "variant_a", quantity: 1, unit_price: 25, tax_lines: [] },
        ],
        shipping_methods: [{ name: "Standard", amount: 10, tax_lines: [] }],
      })
      const { body } = mapMedusaOrderToTradegecko(
        { ...o, total: 35 },
        { variantMap: { variant_a: 200001 }, companyId: 3, status: "active" }
      )
      expect(body.order_line_items).toEqual([
        { variant_id: 200001, line_type: "product", quantity: "1", price: "25.00", tax_rate_override: "0" },
        {
          freeform: true,
          line_type: "shipping",
          label: "Shipping: Standard",
          quantity: "1",
          price: "10.00",
          tax_rate_override: "0",
        },
      ])
      expect(tradegeckoTotal(body.order_line_items, "exclusive", 2).toString()).toBe("35")
    })
  })

  describe("acceptanceLinesOf", () => {
    it("gives each item's label, TradeGecko variant and price per unit after its discounts (BigNumber amounts too)", () => {
      const o = order({
        items: [
          {
            id: "li_1",
            product_title: "Tee",
            variant_title: "S",
            variant_id: "variant_a",
            quantity: 2,
            unit_price: { numeric_: 25 } as any,
            adjustments: [{ amount: { value: "5" } as any }],
          },
          { id: "li_2", title: "Gift wrap", variant_id: "variant_local", quantity: 1, unit_price: 3.5 },
        ],
      })
      expect(acceptanceLinesOf(o, { variant_a: 200001 })).toEqual([
        { label: "Tee / S", variant_id: 200001, quantity: 2, net_unit_price: 22.5 },
        { label: "Gift wrap", variant_id: undefined, quantity: 1, net_unit_price: 3.5 },
      ])
    })
  })
})
