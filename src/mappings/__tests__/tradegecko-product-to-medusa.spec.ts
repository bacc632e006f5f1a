import type { Product, Variant } from "../../modules/tradegecko/client"
import {
  mapTradegeckoProduct,
  nextProductStatus,
  onlineStock,
  type CatalogMappingContext,
  type MappedProduct,
} from "../tradegecko-product-to-medusa"

const ctx: CatalogMappingContext = {
  priceLists: [{ priceListId: "retail", currencyCode: "usd" }],
  locationMap: {},
  defaultStockLocationId: "sloc_default",
}

function product(over: Partial<Product> = {}): Product {
  return {
    id: 1,
    name: "Gecko Tee",
    opt1: "Size",
    opt2: null,
    opt3: null,
    status: "active",
    tags: "online,tees",
    ...over,
  } as Product
}

function variant(over: Partial<Variant> = {}): Variant {
  return {
    id: 10,
    product_id: 1,
    name: "Gecko Tee S",
    sku: "TEE-S",
    opt1: "S",
    retail_price: "25.0",
    wholesale_price: "12.5",
    variant_prices: [
      { price_list_id: "retail", value: "25.0" },
      { price_list_id: "7", value: "19.99" },
    ],
    locations: [
      { location_id: 1, stock_on_hand: "10", committed: "2", available: "8" },
      { location_id: 2, stock_on_hand: "5", committed: "0", available: "5" },
    ],
    manage_stock: true,
    keep_selling: false,
    max_online: null,
    status: "active",
    ...over,
  } as Variant
}

function synced(r: ReturnType<typeof mapTradegeckoProduct>): MappedProduct {
  if (r.action !== "sync") throw new Error(`expected sync, got skip: ${r.reason}`)
  return r.product
}

describe("Catalog import: product mapping", () => {
  describe("mapTradegeckoProduct", () => {
    it("maps product, options, prices and summed available stock", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant(), variant({ id: 11, sku: "TEE-M", opt1: "M", name: "Gecko Tee M" })],
          [],
          ctx
        )
      )
      expect(p.title).toBe("Gecko Tee")
      expect(p.handle).toBe("gecko-tee-tg1")
      expect(p.options).toEqual([{ title: "Size", values: ["S", "M"] }])
      expect(p.variants[0]).toMatchObject({
        tradegeckoVariantId: 10,
        sku: "TEE-S",
        options: { Size: "S" },
        prices: [{ amount: 25, currency_code: "usd" }],
        allow_backorder: false,
        stock: { sloc_default: 13 },
        onlineStock: 13,
      })
      expect(p.sellable).toBe(true)
      expect(p.tags).toEqual(["online", "tees"])
    })

    it("uses a custom price list and the built-in wholesale list", () => {
      const lists = (priceListId: string, currencyCode = "usd") => ({
        ...ctx,
        priceLists: [{ priceListId, currencyCode }],
      })
      expect(synced(mapTradegeckoProduct(product(), [variant()], [], lists("7"))).variants[0].prices).toEqual([
        { amount: 19.99, currency_code: "usd" },
      ])
      expect(synced(mapTradegeckoProduct(product(), [variant()], [], lists("wholesale"))).variants[0].prices).toEqual([
        { amount: 12.5, currency_code: "usd" },
      ])
      expect(synced(mapTradegeckoProduct(product(), [variant()], [], lists("404"))).variants[0].prices).toEqual([])
    })

    it("writes one price per mapped price list, each in that list's own currency", () => {
      const p = synced(
        mapTradegeckoProduct(product(), [variant()], [], {
          ...ctx,
          priceLists: [
            { priceListId: "retail", currencyCode: "usd" },
            { priceListId: "7", currencyCode: "eur" },
          ],
        })
      )
      expect(p.variants[0].prices).toEqual([
        { amount: 25, currency_code: "usd" },
        { amount: 19.99, currency_code: "eur" },
      ])
    })

    it("caps online stock at max_online", () => {
      const p = synced(mapTradegeckoProduct(product(), [variant({ max_online: "4" })], [], ctx))
      expect(p.variants[0].stock).toEqual({ sloc_default: 4 })
    })

    it("manage_stock false keeps selling with stock 0", () => {
      const v = synced(mapTradegeckoProduct(product(), [variant({ manage_stock: false })], [], ctx)).variants[0]
      expect(v.allow_backorder).toBe(true)
      expect(v.stock).toEqual({ sloc_default: 0 })
    })

    it("keep_selling on one variant makes the whole product sell past zero", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant({ keep_selling: true }), variant({ id: 11, opt1: "M", locations: [], available_stock: "0" })],
          [],
          ctx
        )
      )
      expect(p.variants.map((v) => v.allow_backorder)).toEqual([true, true])
    })

    it("a product with nothing to sell is not sellable; a variant reporting nothing counts as 0", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant({ locations: [], available_stock: null, stock_on_hand: null })],
          [],
          ctx
        )
      )
      expect(p.variants[0].stock).toEqual({ sloc_default: 0 })
      expect(p.sellable).toBe(false)
    })

    it("negative available stock counts as 0", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant({ locations: [{ location_id: 1, stock_on_hand: "1", committed: "3", available: "-2" }] as never })],
          [],
          ctx
        )
      )
      expect(p.variants[0].stock).toEqual({ sloc_default: 0 })
    })

    it("an archived variant stays but cannot be bought", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant({ status: "archived", keep_selling: true }), variant({ id: 11, opt1: "M" })],
          [],
          ctx
        )
      )
      expect(p.variants[0]).toMatchObject({ archived: true, allow_backorder: false, onlineStock: 0 })
      expect(p.variants[1].allow_backorder).toBe(false)
    })

    it("skips archived products and products outside the sync-from tag", () => {
      expect(mapTradegeckoProduct(product({ status: "archived" }), [variant()], [], ctx)).toEqual({
        action: "skip",
        reason: "archived in TradeGecko",
      })
      expect(
        mapTradegeckoProduct(product({ tags: "wholesale-only" }), [variant()], [], { ...ctx, syncFromTag: "online" })
      ).toEqual({
        action: "skip",
        reason: 'not tagged "online"',
      })
      expect(mapTradegeckoProduct(product(), [variant()], [], { ...ctx, syncFromTag: "Online" }).action).toBe("sync")
    })

    it("maps locations through the location map and ignores unmapped ones", () => {
      const stock = onlineStock(variant(), { ...ctx, locationMap: { "2": "sloc_b" } })
      expect(stock).toEqual({ sloc_b: 5 })
      const both = onlineStock(variant({ max_online: "10" }), { ...ctx, locationMap: { "1": "sloc_a", "2": "sloc_b" } })
      expect(both).toEqual({ sloc_a: 8, sloc_b: 2 })
    })

    it("gives option-less products a Default option and de-duplicates option combinations", () => {
      const p = synced(
        mapTradegeckoProduct(
          product({ opt1: null }),
          [variant({ opt1: null, name: "Only" }), variant({ id: 11, opt1: null, name: "Only" })],
          [],
          ctx
        )
      )
      expect(p.options[0].title).toBe("Default")
      expect(p.variants.map((v) => v.options.Default)).toEqual(["Only", "Only (11)"])
    })

    it("collects image URLs in position order", () => {
      const p = synced(
        mapTradegeckoProduct(
          product(),
          [variant()],
          [
            { id: 2, product_id: 1, base_path: "https://img.test/p", file_name: "b.png", position: 2 },
            { id: 1, product_id: 1, base_path: "https://img.test/p/", file_name: "a.png", position: 1 },
            { id: 3, product_id: 99, base_path: "https://img.test/x", file_name: "c.png", position: 0 },
          ] as never,
          ctx
        )
      )
      expect(p.images).toEqual(["https://img.test/p/a.png", "https://img.test/p/b.png"])
    })
  })

  describe("nextProductStatus", () => {
    it("publishes new sellable products and hides new unsellable ones", () => {
      expect(nextProductStatus(null, true, false)).toEqual({ status: "published", hiddenBySync: false })
      expect(nextProductStatus(null, false, false)).toEqual({ status: "draft", hiddenBySync: true })
    })
    it("hides a published product with nothing to sell and re-shows it when stock returns", () => {
      expect(nextProductStatus("published", false, false)).toEqual({ status: "draft", hiddenBySync: true })
      expect(nextProductStatus("draft", true, true)).toEqual({ status: "published", hiddenBySync: false })
    })
    it("leaves a product the merchant unpublished alone", () => {
      expect(nextProductStatus("draft", true, false)).toBeNull()
      expect(nextProductStatus("published", true, false)).toBeNull()
    })
  })

  describe("htmlToText", () => {
    const { htmlToText } = require("../tradegecko-product-to-medusa")
    it("turns TradeGecko's HTML description into the plain text Medusa shows", () => {
      expect(htmlToText("<p>The soft tee from <strong>Gecko</strong>.</p>")).toBe("The soft tee from Gecko.")
      expect(htmlToText("<p>Line one<br>line two</p><p>Fits &amp; washes well &ndash; 100&#37; cotton</p>")).toBe(
        "Line one\nline two\n\nFits & washes well – 100% cotton"
      )
      expect(htmlToText("<ul><li>Soft</li><li>Warm</li></ul>")).toBe("- Soft\n- Warm")
      expect(htmlToText("Plain text stays")).toBe("Plain text stays")
      expect(htmlToText("<p> </p>")).toBeNull()
      expect(htmlToText(null)).toBeNull()
    })
  })
})
