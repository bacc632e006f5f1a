import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import { PRODUCT_LINK_ID_PREFIX, VARIANT_LINK_ID_PREFIX } from "../../../modules/tradegecko/id-prefixes"
import { newEntityId } from "../../../lib/entity-ids"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { isFresher, type CatalogPlan } from "../../../mappings/plan-catalog-changes"
import type { CreatedCatalogProducts } from "./create-catalog-products"

export interface SavedVariantLink {
  tradegecko_variant_id: number
  variant_id: string
  inventory_item_id: string | null
  stock: Record<string, number>
  /** The inventory item was created by this batch (it has no stock levels yet). */
  created: boolean
}

type Snapshot = {
  createdProductLinks: string[]
  createdVariantLinks: string[]
  previousProductLinks: any[]
  previousVariantLinks: any[]
}

/**
 * Records which Medusa product/variant each TradeGecko product/variant became (after
 * Medusa's batchProductsWorkflow wrote them), with the content hash and hide flag.
 * Compensation removes the links it created and restores the ones it changed, so a
 * failed batch leaves nothing half-linked.
 */
export const saveCatalogLinksStep = createStep(
  "save-tradegecko-catalog-links",
  async ({ plan, created }: { plan: CatalogPlan; created?: CreatedCatalogProducts }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const now = new Date()
    const touched = plan.products.filter(
      (p) => p.action === "create" || p.action === "update" || p.action === "unchanged" || p.archive
    )

    // The Medusa ids of products created by this batch come from the create step; the others
    // (updated, matched, or created by an earlier attempt) are read by handle / id.
    const createdIds = created?.productIds ?? {}
    const createdVariants = new Map((created?.variants ?? []).map((v) => [v.tradegecko_variant_id, v]))
    const byHandle = new Map<string | null, any>()
    for (const p of touched) {
      if (p.productId || !p.handle || !createdIds[p.handle]) continue
      const variants = p.variants
        .map((pv) => createdVariants.get(pv.tradegeckoVariantId))
        .filter((v): v is CreatedCatalogProducts["variants"][number] => Boolean(v))
        .map((v) => ({
          id: v.variant_id,
          metadata: { tradegecko_variant_id: v.tradegecko_variant_id },
          inventory_items: v.inventory_item_id ? [{ inventory_item_id: v.inventory_item_id }] : [],
        }))
      byHandle.set(p.handle, { id: createdIds[p.handle], handle: p.handle, variants })
    }
    const handles = touched.filter((p) => !p.productId && p.handle && !byHandle.has(p.handle)).map((p) => p.handle!)
    const ids = touched.filter((p) => p.productId).map((p) => p.productId!)
    const { data: products } =
      handles.length || ids.length
        ? ((await query.graph({
            entity: "product",
            fields: ["id", "handle", "variants.id", "variants.metadata", "variants.inventory_items.inventory_item_id"],
            filters: {
              $or: [{ handle: handles.length ? handles : ["__none__"] }, { id: ids.length ? ids : ["__none__"] }],
            } as any,
          })) as { data: any[] })
        : { data: [] as any[] }
    for (const p of products) if (!byHandle.has(p.handle)) byHandle.set(p.handle, p)
    const byId = new Map(products.map((p) => [p.id, p]))

    const existingProductLinks = await tradegecko.listTradegeckoProductLinks({
      tradegecko_product_id: touched.map((p) => p.tradegeckoProductId),
    })
    const plByTg = new Map(existingProductLinks.map((l) => [l.tradegecko_product_id, l]))
    const tgVariantIds = touched.flatMap((p) => p.variants.map((v) => v.tradegeckoVariantId))
    const existingVariantLinks = tgVariantIds.length
      ? await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgVariantIds })
      : []
    const vlByTg = new Map(existingVariantLinks.map((l) => [l.tradegecko_variant_id, l]))

    const createProducts: any[] = []
    const updateProducts: any[] = []
    const createVariants: any[] = []
    const updateVariants: any[] = []
    const saved: SavedVariantLink[] = []

    for (const p of touched) {
      const medusa = p.productId ? byId.get(p.productId) : byHandle.get(p.handle)
      const productLink = plByTg.get(p.tradegeckoProductId)
      if (!medusa) continue
      const fields = {
        product_id: medusa.id,
        last_synced_at: now,
        ...(p.archive
          ? { archived: true }
          : {
              content_hash: p.contentHash,
              hidden_by_sync: p.hiddenBySync,
              tradegecko_updated_at: p.tradegeckoUpdatedAt,
            }),
      }
      if (productLink) updateProducts.push({ id: productLink.id, ...fields })
      else
        createProducts.push({
          id: newEntityId(PRODUCT_LINK_ID_PREFIX),
          tradegecko_product_id: p.tradegeckoProductId,
          ...fields,
        })
      if (p.archive) continue

      const variantByTg = new Map<number, any>()
      for (const v of medusa.variants ?? []) {
        const tgId = Number(v.metadata?.tradegecko_variant_id)
        if (tgId) variantByTg.set(tgId, v)
      }
      for (const pv of p.variants) {
        const mv =
          (pv.variantId && (medusa.variants ?? []).find((v: any) => v.id === pv.variantId)) ||
          variantByTg.get(pv.tradegeckoVariantId)
        if (!mv) continue
        const itemId = mv.inventory_items?.[0]?.inventory_item_id ?? null
        const vl = vlByTg.get(pv.tradegeckoVariantId)
        // Checked again here, just before the stock is written: a webhook or checkout refresh
        // may have written newer stock since the plan was made. Ours is then dropped, and the
        // link keeps its (newer) stamp; otherwise it is stamped with when ours was read.
        const writeStock = !pv.stockFresher && !isFresher(vl?.stock_synced_at, plan.stockReadAt)
        const vFields = {
          variant_id: mv.id,
          tradegecko_product_id: p.tradegeckoProductId,
          inventory_item_id: itemId,
          sku: pv.sku,
          ...(writeStock ? { stock_synced_at: plan.stockReadAt ? new Date(plan.stockReadAt) : now } : {}),
          last_synced_at: now,
        }
        if (vl) updateVariants.push({ id: vl.id, ...vFields })
        else
          createVariants.push({
            id: newEntityId(VARIANT_LINK_ID_PREFIX),
            tradegecko_variant_id: pv.tradegeckoVariantId,
            ...vFields,
          })
        saved.push({
          tradegecko_variant_id: pv.tradegeckoVariantId,
          variant_id: mv.id,
          inventory_item_id: itemId,
          stock: writeStock ? pv.stock : {},
          created: Boolean(itemId) && createdVariants.get(pv.tradegeckoVariantId)?.inventory_item_id === itemId,
        })
      }
    }

    const snapshot: Snapshot = {
      createdProductLinks: [],
      createdVariantLinks: [],
      previousProductLinks: existingProductLinks.filter((l) => updateProducts.some((u) => u.id === l.id)),
      previousVariantLinks: existingVariantLinks.filter((l) => updateVariants.some((u) => u.id === l.id)),
    }
    if (createProducts.length)
      snapshot.createdProductLinks = (await tradegecko.createTradegeckoProductLinks(createProducts)).map((l) => l.id)
    if (updateProducts.length) await tradegecko.updateTradegeckoProductLinks(updateProducts)
    if (createVariants.length)
      snapshot.createdVariantLinks = (await tradegecko.createTradegeckoVariantLinks(createVariants)).map((l) => l.id)
    if (updateVariants.length) await tradegecko.updateTradegeckoVariantLinks(updateVariants)

    const productIds: Record<string, string> = {}
    for (const p of touched) {
      const medusa = p.productId ? byId.get(p.productId) : byHandle.get(p.handle)
      if (medusa) productIds[String(p.tradegeckoProductId)] = medusa.id
    }
    return new StepResponse({ variants: saved, productIds }, snapshot)
  },
  async (snapshot, { container }) => {
    if (!snapshot) return
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    if (snapshot.createdProductLinks.length) await tradegecko.deleteTradegeckoProductLinks(snapshot.createdProductLinks)
    if (snapshot.createdVariantLinks.length) await tradegecko.deleteTradegeckoVariantLinks(snapshot.createdVariantLinks)
    const strip = ({ created_at: _c, updated_at: _u, deleted_at: _d, ...rest }: any) => rest
    if (snapshot.previousProductLinks.length)
      await tradegecko.updateTradegeckoProductLinks(snapshot.previousProductLinks.map(strip))
    if (snapshot.previousVariantLinks.length)
      await tradegecko.updateTradegeckoVariantLinks(snapshot.previousVariantLinks.map(strip))
  }
)
