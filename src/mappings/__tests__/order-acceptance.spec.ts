import { orderAcceptanceReasons, priceListPrice } from "../order-acceptance"

const variant = (over = {}) => ({
  id: 1,
  sku: "TEE-S",
  available_stock: "5",
  manage_stock: true,
  retail_price: "20.00",
  variant_prices: [
    { price_list_id: "retail", value: "20.00" },
    { price_list_id: "wholesale", value: "10.00" },
  ],
  ...over,
})
const opts = { threshold: 0.97, priceListId: "retail" }

describe("Orders → TradeGecko: acceptance rule", () => {
  describe("orderAcceptanceReasons", () => {
    it("accepts in-stock lines at (or just above) 97 % of the list price", () => {
      expect(
        orderAcceptanceReasons([{ label: "Tee", variant_id: 1, quantity: 5, net_unit_price: 19.4 }], [variant()], opts)
      ).toEqual([])
    })

    it("names every reason: unknown item, short stock, price below the threshold", () => {
      const reasons = orderAcceptanceReasons(
        [
          { label: "Gift wrap", quantity: 1, net_unit_price: 3 },
          { label: "Tee", variant_id: 1, quantity: 6, net_unit_price: 19.39 },
          { label: "Gone", variant_id: 9, quantity: 1, net_unit_price: 1 },
        ],
        [variant()],
        opts
      )
      expect(reasons).toEqual([
        "Gift wrap is not a TradeGecko variant",
        "Tee (TEE-S): 6 ordered, 5 available in TradeGecko",
        "Tee (TEE-S): price 19.39 is below 97 % of the retail price 20.00",
        "Gone: TradeGecko variant 9 not found",
      ])
    })

    it("does not count stock of variants that do not track it, and uses the chosen price list", () => {
      const v = variant({ manage_stock: false, available_stock: "0" })
      expect(
        orderAcceptanceReasons([{ label: "Tee", variant_id: 1, quantity: 3, net_unit_price: 9.7 }], [v], {
          threshold: 0.97,
          priceListId: "wholesale",
        })
      ).toEqual([])
      expect(priceListPrice(variant({ variant_prices: [] }), "retail")).toBe(20)
      expect(priceListPrice(variant({ variant_prices: [] }), "77")).toBeNull()
    })
  })
})
