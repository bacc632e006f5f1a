import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { Product, Variant } from "../../../modules/tradegecko/client"
import type { CatalogState } from "../../../mappings/plan-catalog-changes"

export type { CatalogState, MedusaProductState, ProductLinkState } from "../../../mappings/plan-catalog-changes"

export interface LoadCatalogStateInput {
  products: Product[]
  variants: Variant[]
}

/** Reads what Medusa and the link tables already know about a batch of TradeGecko products. */
export async function loadCatalogState(
  container: MedusaContainer,
  input: LoadCatalogStateInput
): Promise<CatalogState> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const productIds = input.products.map((p) => p.id)
  const variantIds = input.variants.map((v) => v.id)

  const [productLinks, variantLinks] = await Promise.all([
    productIds.length ? tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: productIds }) : [],
    variantIds.length ? tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: variantIds }) : [],
  ])

  const state: CatalogState = {
    productLinks: {},
    variantLinks: {},
    medusaProducts: {},
    skuMatches: {},
    levels: {},
    sharedSkus: {},
  }
  const batchSkus = [...new Set(input.variants.map((v) => v.sku?.trim()).filter((s): s is string => Boolean(s)))]
  if (batchSkus.length) {
    const holders = new Map<string, Set<number>>()
    for (const v of input.variants) {
      const sku = v.sku?.trim()
      if (sku) holders.set(sku, (holders.get(sku) ?? new Set()).add(v.id))
    }
    const inBatch = new Set(input.variants.map((v) => v.id))
    for (const l of await tradegecko.listTradegeckoVariantLinks({ sku: batchSkus })) {
      // a variant of this batch counts with the SKU it has now, not the one its link recorded
      if (l.sku && !inBatch.has(Number(l.tradegecko_variant_id)))
        holders.set(l.sku, (holders.get(l.sku) ?? new Set()).add(Number(l.tradegecko_variant_id)))
    }
    for (const [sku, ids] of holders) if (ids.size > 1) state.sharedSkus![sku] = [...ids].sort((a, b) => a - b)
  }
  for (const l of productLinks) {
    state.productLinks[String(l.tradegecko_product_id)] = {
      id: l.id,
      product_id: l.product_id,
      hidden_by_sync: l.hidden_by_sync,
      archived: l.archived,
      content_hash: l.content_hash ?? null,
    }
  }
  for (const l of variantLinks) {
    state.variantLinks[String(l.tradegecko_variant_id)] = {
      id: l.id,
      variant_id: l.variant_id,
      inventory_item_id: l.inventory_item_id ?? null,
      stock_synced_at: l.stock_synced_at ? new Date(l.stock_synced_at).toISOString() : null,
    }
  }

  const linkedVariantIds = new Set(Object.keys(state.variantLinks))
  const skus = [
    ...new Set(
      input.variants
        .filter((v) => !linkedVariantIds.has(String(v.id)) && v.sku && v.sku.trim())
        .map((v) => v.sku!.trim())
    ),
  ]
  if (skus.length) {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku", "product_id"],
      filters: { sku: skus },
    })
    for (const v of data as any[]) {
      if (v.sku) state.skuMatches[v.sku] = { variant_id: v.id, product_id: v.product_id }
    }
  }

  const medusaProductIds = [
    ...new Set([
      ...Object.values(state.productLinks).map((l) => l.product_id),
      ...Object.values(state.skuMatches).map((m) => m.product_id),
    ]),
  ]
  if (medusaProductIds.length) {
    const { data } = await query.graph({
      entity: "product",
      fields: [
        "id",
        "status",
        "options.id",
        "options.title",
        "options.values.value",
        "variants.id",
        "variants.sku",
        "variants.inventory_items.inventory_item_id",
      ],
      filters: { id: medusaProductIds },
    })
    for (const p of data as any[]) {
      state.medusaProducts[p.id] = {
        id: p.id,
        status: p.status,
        options: (p.options ?? []).map((o: any) => ({
          id: o.id,
          title: o.title,
          values: (o.values ?? []).map((v: any) => v.value),
        })),
        variants: (p.variants ?? []).map((v: any) => ({
          id: v.id,
          sku: v.sku ?? null,
          inventory_item_id: v.inventory_items?.[0]?.inventory_item_id ?? null,
        })),
      }
    }
  }

  const itemIds = Object.values(state.medusaProducts).flatMap(
    (p) => p.variants.map((v) => v.inventory_item_id).filter(Boolean) as string[]
  )
  if (itemIds.length) {
    const levels = await container.resolve(Modules.INVENTORY).listInventoryLevels({ inventory_item_id: itemIds })
    for (const l of levels) state.levels[`${l.inventory_item_id}:${l.location_id}`] = Number(l.stocked_quantity)
  }
  return state
}
