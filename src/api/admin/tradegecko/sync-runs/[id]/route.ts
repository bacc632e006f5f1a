import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"
import { describeRunItem, type RunItemChanges } from "../../helpers"

/**
 * GET /admin/tradegecko/sync-runs/:id?outcome= — one run with its per-record outcomes.
 * Each record says in words what changed (`change_text`), and its stock changes come as
 * rows naming the variant (SKU) and the stock location (`stock_changes`), from → to.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [run] = await tradegecko.listTradegeckoSyncRuns({ id: req.params.id })
  if (!run) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Sync run ${req.params.id} not found`)
  const filters: Record<string, unknown> = { run_id: run.id }
  if (typeof req.query.outcome === "string") filters.outcome = req.query.outcome
  const items = await tradegecko.listTradegeckoSyncRunItems(filters, { order: { tradegecko_id: "ASC" }, take: 1000 })

  // Names for the stock rows: the variant's SKU (from its link) and the location's name.
  const stockOf = (i: { changes: unknown }) => {
    const c = i.changes as RunItemChanges | null
    return (c && !Array.isArray(c) ? (c.stock ?? {}) : {}) as Record<string, Record<string, [number | null, number]>>
  }
  const variantIds = [...new Set(items.flatMap((i) => Object.keys(stockOf(i)).map(Number)))]
  const locationIds = [
    ...new Set(items.flatMap((i) => Object.values(stockOf(i)).flatMap((byLoc) => Object.keys(byLoc)))),
  ]
  const variantLinks = variantIds.length
    ? await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: variantIds })
    : []
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const medusaVariantIds = variantLinks.map((l) => l.variant_id)
  const { data: variants } = medusaVariantIds.length
    ? await query.graph({
        entity: "product_variant",
        fields: ["id", "sku", "title"],
        filters: { id: medusaVariantIds },
      })
    : { data: [] as any[] }
  const { data: locations } = locationIds.length
    ? await query.graph({ entity: "stock_location", fields: ["id", "name"], filters: { id: locationIds } })
    : { data: [] as any[] }
  const variantById = new Map((variants as any[]).map((v) => [v.id, v]))
  const variantName = new Map(
    variantLinks.map((l) => {
      const v = variantById.get(l.variant_id)
      return [String(l.tradegecko_variant_id), (v?.sku || v?.title || null) as string | null]
    })
  )
  const locationName = new Map((locations as any[]).map((l) => [l.id as string, l.name as string]))

  res.json({
    sync_run: {
      ...run,
      items: items.map((i) => ({
        ...i,
        ...describeRunItem(i.changes as RunItemChanges | null, variantName, locationName),
      })),
    },
  })
}
