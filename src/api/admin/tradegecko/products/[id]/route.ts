import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"
import { describeVariantRule, tradegeckoProductUrl } from "../../helpers"
import { isSharedSkuNote } from "../../../../../mappings/plan-catalog-changes"

/**
 * GET /admin/tradegecko/products/:id — what the product widget shows: the link, last
 * sync, stock per location and the rule behind it, and any duplicate-SKU warning.
 * The rules (max_online, keep selling, not managed) live in TradeGecko, so they are
 * read live; when TradeGecko does not answer the widget still shows Medusa's side.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const productId = req.params.id
  const [link] = await tradegecko.listTradegeckoProductLinks({ product_id: productId })
  if (!link) {
    res.json({ product: { product_id: productId, linked: false } })
    return
  }

  const variantLinks = await tradegecko.listTradegeckoVariantLinks({
    tradegecko_product_id: link.tradegecko_product_id,
  })
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: [
      "id",
      "title",
      "sku",
      "allow_backorder",
      "manage_inventory",
      "inventory_items.inventory.location_levels.location_id",
      "inventory_items.inventory.location_levels.stocked_quantity",
      "inventory_items.inventory.location_levels.reserved_quantity",
    ],
    filters: { product_id: productId },
  })
  const locationIds = [
    ...new Set((variants as any[]).flatMap((v) => levelsOf(v).map((l: any) => l.location_id as string))),
  ]
  const { data: locations } = locationIds.length
    ? await query.graph({ entity: "stock_location", fields: ["id", "name"], filters: { id: locationIds } })
    : { data: [] as any[] }
  const locationName = new Map((locations as any[]).map((l) => [l.id, l.name]))

  let tgVariants: Awaited<ReturnType<ReturnType<TradegeckoModuleService["getClient"]>["variants"]["getMany"]>> = []
  let tradegeckoError: string | null = null
  try {
    tgVariants = await tradegecko.getCheckoutClient().variants.getMany(variantLinks.map((l) => l.tradegecko_variant_id))
  } catch (e) {
    tradegeckoError = `TradeGecko did not answer, rules not shown: ${(e as Error).message}`
  }
  const productKeepsSelling = tgVariants.some((v) => v.keep_selling === true && v.status !== "archived")

  const [lastItem] = await tradegecko.listTradegeckoSyncRunItems(
    { record_type: "product", tradegecko_id: link.tradegecko_product_id },
    { order: { created_at: "DESC" }, take: 1 }
  )
  const warnings = (lastItem?.message ?? "").split("; ").filter(isSharedSkuNote)

  const byVariant = new Map(variantLinks.map((l) => [l.variant_id, l]))
  // A one-product Force sync cannot see other products' SKUs, so the last run's note may be
  // gone; the sync leaves the Medusa SKU empty exactly when the TradeGecko SKU is shared.
  for (const v of variants as any[]) {
    const tg = tgVariants.find((t) => t.id === byVariant.get(v.id)?.tradegecko_variant_id)
    const sku = tg?.sku?.trim()
    if (sku && !v.sku && !warnings.some((w) => w.startsWith(`SKU ${sku} `))) {
      warnings.push(
        `SKU ${sku} of TradeGecko variant ${tg!.id} is shared with another TradeGecko variant: not used to match, left empty in Medusa`
      )
    }
  }
  const { baseUrl } = tradegecko.getOptions()
  res.json({
    product: {
      product_id: productId,
      linked: true,
      tradegecko_product_id: link.tradegecko_product_id,
      tradegecko_url: tradegeckoProductUrl(baseUrl, link.tradegecko_product_id),
      last_synced_at: link.last_synced_at,
      archived: link.archived,
      hidden_by_sync: link.hidden_by_sync,
      last_outcome: lastItem
        ? { outcome: lastItem.outcome, message: lastItem.message, run_id: lastItem.run_id, at: lastItem.created_at }
        : null,
      warnings,
      tradegecko_error: tradegeckoError,
      variants: (variants as any[]).map((v) => {
        const vl = byVariant.get(v.id)
        const tg = vl ? tgVariants.find((t) => t.id === vl.tradegecko_variant_id) : undefined
        const levels = levelsOf(v).map((l: any) => ({
          location_id: l.location_id,
          location_name: locationName.get(l.location_id) ?? l.location_id,
          stocked_quantity: Number(l.stocked_quantity ?? 0),
          reserved_quantity: Number(l.reserved_quantity ?? 0),
        }))
        return {
          variant_id: v.id,
          title: v.title,
          sku: v.sku ?? null,
          tradegecko_variant_id: vl?.tradegecko_variant_id ?? null,
          stock_synced_at: vl?.stock_synced_at ?? null,
          online_stock: levels.reduce((n: number, l: { stocked_quantity: number }) => n + l.stocked_quantity, 0),
          locations: levels,
          rule: vl
            ? describeVariantRule(tg, productKeepsSelling, v.allow_backorder)
            : { kind: "not_linked", text: "Not linked to a TradeGecko variant" },
        }
      }),
    },
  })
}

function levelsOf(variant: any): any[] {
  return (variant.inventory_items ?? []).flatMap((i: any) => i.inventory?.location_levels ?? [])
}
