import type { Product, Variant } from "../../modules/tradegecko/client"
import {
  contentHash,
  findDuplicateSkus,
  outcomeOf,
  planCatalogChanges,
  type CatalogState,
  type PlanInput,
} from "../plan-catalog-changes"
import { mapTradegeckoProduct, type MappedProduct } from "../tradegecko-product-to-medusa"

const context: PlanInput["context"] = {
  priceLists: [{ priceListId: "retail", currencyCode: "usd" }],
  locationMap: {},
  defaultStockLocationId: "sloc_1",
  salesChannelId: "sc_1",
  shippingProfileId: "sp_1",
}

function product(id: number, over: Partial<Product> = {}): Product {
  return {
    id,
    name: `Tee ${id}`,
    opt1: "Size",
    opt2: null,
    opt3: null,
    status: "active",
    tags: "",
    updated_at: "2026-01-01T00:00:00Z",
    ...over,
  } as Product
}

function variant(id: number, productId: number, over: Partial<Variant> = {}): Variant {
  return {
    id,
    product_id: productId,
    name: `Variant ${id}`,
    sku: `SKU-${id}`,
    opt1: `V${id}`,
    retail_price: "10.0",
    variant_prices: [{ price_list_id: "retail", value: "10.0" }],
    locations: [{ location_id: 1, stock_on_hand: "4", committed: "0", available: "4" }],
    manage_stock: true,
    keep_selling: false,
    max_online: null,
    status: "active",
    ...over,
  } as Variant
}

const emptyState = (): CatalogState => ({
  productLinks: {},
  variantLinks: {},
  medusaProducts: {},
  skuMatches: {},
  levels: {},
  sharedSkus: {},
})

function plan(
  products: Product[],
  variants: Variant[],
  state: CatalogState = emptyState(),
  over: Partial<PlanInput> = {}
) {
  return planCatalogChanges(
    { products, variants, images: [], context, duplicateSkus: findDuplicateSkus(variants), ...over },
    state
  )
}

function mapped(p: Product, vs: Variant[]): MappedProduct {
  const r = mapTradegeckoProduct(p, vs, [], context)
  if (r.action !== "sync") throw new Error(r.reason)
  return r.product
}

/** State of a product synced before: linked, in Medusa, with the given content hash. */
function syncedState(p: Product, vs: Variant[], hash: string | null): CatalogState {
  const state = emptyState()
  state.productLinks[String(p.id)] = {
    id: "tgpl_1",
    product_id: "prod_1",
    hidden_by_sync: false,
    archived: false,
    content_hash: hash,
  }
  state.medusaProducts.prod_1 = {
    id: "prod_1",
    status: "published",
    options: [{ id: "opt_1", title: "Size", values: vs.map((v) => v.opt1!) }],
    variants: vs.map((v) => ({ id: `variant_${v.id}`, sku: v.sku ?? null, inventory_item_id: `iitem_${v.id}` })),
  }
  for (const v of vs) {
    state.variantLinks[String(v.id)] = {
      id: `tgvl_${v.id}`,
      variant_id: `variant_${v.id}`,
      inventory_item_id: `iitem_${v.id}`,
      stock_synced_at: null,
    }
    state.levels[`iitem_${v.id}:sloc_1`] = 4
  }
  return state
}

describe("catalog: planCatalogChanges", () => {
  describe("create, update or unchanged", () => {
    it("creates a product Medusa does not know, with its variants, prices, sales channel and shipping profile", () => {
      const result = plan([product(1)], [variant(11, 1), variant(12, 1)])
      expect(result.create).toHaveLength(1)
      expect(result.create[0]).toMatchObject({
        handle: "tee-1-tg1",
        sales_channels: [{ id: "sc_1" }],
        shipping_profile_id: "sp_1",
        variants: [
          {
            sku: "SKU-11",
            options: { Size: "V11" },
            prices: [{ amount: 10, currency_code: "usd" }],
            metadata: { tradegecko_variant_id: 11 },
          },
          { sku: "SKU-12", options: { Size: "V12" }, metadata: { tradegecko_variant_id: 12 } },
        ],
      })
      expect(result.update).toEqual([])
      expect(outcomeOf(result.products[0])).toBe("created")
      expect(result.products[0].variants.map((v) => v.stockChanges)).toEqual([
        { sloc_1: [null, 4] },
        { sloc_1: [null, 4] },
      ])
    })

    it("leaves a linked product whose content hash and stock did not change unchanged, with no writes", () => {
      const p = product(1)
      const vs = [variant(11, 1)]
      const result = plan([p], vs, syncedState(p, vs, contentHash(mapped(p, vs))))
      expect(result.create).toEqual([])
      expect(result.update).toEqual([])
      expect(result.prices).toEqual([])
      expect(outcomeOf(result.products[0])).toBe("unchanged")
    })

    it("updates a linked product whose content changed, its existing variant by id and its price through the price step", () => {
      const p = product(1)
      const vs = [variant(11, 1)]
      const result = plan(
        [p],
        [
          variant(11, 1, {
            name: "Renamed",
            retail_price: "12.0",
            variant_prices: [{ price_list_id: "retail", value: "12.0" }],
          }),
        ],
        syncedState(p, vs, "old-hash")
      )
      expect(result.update).toHaveLength(1)
      expect(result.update[0].id).toBe("prod_1")
      expect(result.update[0].variants[0]).toMatchObject({ id: "variant_11", title: "Renamed" })
      // an existing variant's prices are never sent with the product update (Medusa would replace the whole set)
      expect(result.update[0].variants[0].prices).toBeUndefined()
      expect(result.prices).toEqual([{ variant_id: "variant_11", prices: [{ amount: 12, currency_code: "usd" }] }])
      expect(result.products[0].changes).toContain("details")
    })

    it("records a stock-only change as an update without rewriting the product", () => {
      const p = product(1)
      const vs = [variant(11, 1)]
      const state = syncedState(p, vs, contentHash(mapped(p, vs)))
      const result = plan(
        [p],
        [
          variant(11, 1, {
            locations: [{ location_id: 1, stock_on_hand: "9", committed: "0", available: "9" }] as any,
          }),
        ],
        state
      )
      expect(result.update).toEqual([])
      expect(result.products[0].changes).toEqual(["stock"])
      expect(result.products[0].variants[0].stockChanges).toEqual({ sloc_1: [4, 9] })
    })

    it("adds a new option value to the existing product before a new variant uses it", () => {
      const p = product(1)
      const vs = [variant(11, 1)]
      const result = plan([p], [...vs, variant(12, 1)], syncedState(p, vs, contentHash(mapped(p, vs))))
      expect(result.optionValues).toEqual([{ product_id: "prod_1", product_option_id: "opt_1", add: ["V12"] }])
      expect(result.update[0].variants).toEqual(
        expect.arrayContaining([expect.objectContaining({ sku: "SKU-12", metadata: { tradegecko_variant_id: 12 } })])
      )
    })

    it("skips a product whose link is archived, and marks the link archived when TradeGecko archives a linked product", () => {
      const p = product(1)
      const vs = [variant(11, 1)]
      const archivedLink = syncedState(p, vs, null)
      archivedLink.productLinks["1"].archived = true
      expect(plan([p], vs, archivedLink).products[0]).toMatchObject({
        action: "skip",
        archive: false,
        message: "archived in TradeGecko; no longer synced",
      })

      const archivedNow = plan([product(1, { status: "archived" })], vs, syncedState(p, vs, null)).products[0]
      expect(archivedNow).toMatchObject({ action: "skip", archive: true, productId: "prod_1" })
    })
  })

  describe("SKU matching", () => {
    it("links an existing Medusa product by a unique SKU on the first import instead of creating it", () => {
      const state = emptyState()
      state.skuMatches["SKU-11"] = { variant_id: "variant_a", product_id: "prod_a" }
      state.medusaProducts.prod_a = {
        id: "prod_a",
        status: "published",
        options: [{ id: "opt_a", title: "Size", values: ["V11"] }],
        variants: [{ id: "variant_a", sku: "SKU-11", inventory_item_id: "iitem_a" }],
      }
      const result = plan([product(1)], [variant(11, 1)], state)
      expect(result.create).toEqual([])
      expect(result.update[0]).toMatchObject({ id: "prod_a", variants: [{ id: "variant_a", sku: "SKU-11" }] })
      expect(result.products[0]).toMatchObject({
        action: "update",
        productId: "prod_a",
        changes: expect.arrayContaining(["linked by SKU"]),
      })
      expect(result.products[0].variants[0]).toMatchObject({ variantId: "variant_a", inventoryItemId: "iitem_a" })
    })

    it("skips a product whose SKUs match variants of two Medusa products, naming both", () => {
      const state = emptyState()
      state.skuMatches["SKU-11"] = { variant_id: "variant_a", product_id: "prod_a" }
      state.skuMatches["SKU-12"] = { variant_id: "variant_b", product_id: "prod_b" }
      const result = plan([product(1)], [variant(11, 1), variant(12, 1)], state)
      expect(result.create).toEqual([])
      expect(result.products[0].action).toBe("skip")
      expect(result.products[0].message).toMatch(/several Medusa products \(prod_a, prod_b\)/)
    })
  })

  describe("shared and duplicate SKUs", () => {
    it("never matches on a SKU two TradeGecko variants share, leaves it empty in Medusa and says so", () => {
      const state = emptyState()
      // a Medusa variant carries the SKU: a unique SKU would have matched it
      state.skuMatches.DUP = { variant_id: "variant_a", product_id: "prod_a" }
      const result = plan(
        [product(1), product(2)],
        [variant(11, 1, { sku: "DUP" }), variant(21, 2, { sku: "DUP" })],
        state
      )
      expect(findDuplicateSkus([variant(11, 1, { sku: "DUP" }), variant(21, 2, { sku: " DUP " })])).toEqual({
        DUP: [11, 21],
      })
      expect(result.create).toHaveLength(2)
      expect(result.create.map((c) => c.variants[0].sku)).toEqual([undefined, undefined])
      expect(result.products.map((p) => p.message)).toEqual([
        "SKU DUP is shared by TradeGecko variants 11 and 21: not used to match, left empty in Medusa",
        "SKU DUP is shared by TradeGecko variants 11 and 21: not used to match, left empty in Medusa",
      ])
    })

    it("treats a SKU as shared when a variant synced in an earlier run carries it (incremental and targeted runs)", () => {
      const state = emptyState()
      state.sharedSkus = { "SKU-11": [5, 11] }
      const result = plan([product(1)], [variant(11, 1)], state)
      expect(result.create[0].variants[0].sku).toBeUndefined()
      expect(result.products[0].message).toBe(
        "SKU SKU-11 is shared by TradeGecko variants 5 and 11: not used to match, left empty in Medusa"
      )
    })
  })

  describe("stock read before a fresher write", () => {
    it("does not plan stock older than what Medusa already holds", () => {
      const p = product(1)
      const vs = [
        variant(11, 1, { locations: [{ location_id: 1, stock_on_hand: "9", committed: "0", available: "9" }] as any }),
      ]
      const state = syncedState(p, vs, contentHash(mapped(p, vs)))
      state.variantLinks["11"].stock_synced_at = "2026-01-01T10:00:01Z"
      const result = plan([p], vs, state, { stockReadAt: "2026-01-01T10:00:00Z" })
      expect(result.products[0].variants[0]).toMatchObject({ stock: {}, stockChanges: {}, stockFresher: true })
      expect(outcomeOf(result.products[0])).toBe("unchanged")
    })
  })
})
