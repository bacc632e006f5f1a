import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../../modules/tradegecko/service"
import { outcomeOf, stockChangeRows } from "../../../../../../mappings/plan-catalog-changes"
import { startCatalogSync } from "../../../../../../lib/start-catalog-sync"
import { describeProductChanges, type ProductSnapshot } from "../../../helpers"
import { answeringTradegeckoFailures } from "../../../tradegecko-unavailable"

const SNAPSHOT_FIELDS = [
  "id",
  "title",
  "description",
  "status",
  "variants.id",
  "variants.title",
  "variants.sku",
  "variants.options.value",
  "variants.prices.amount",
  "variants.prices.currency_code",
]

/**
 * POST /admin/tradegecko/products/:id/sync — Force sync: re-read this Medusa product's
 * TradeGecko product now and apply it; answers with what changed, in words
 * (`change_words`: "title", "price M 50 → 55", "stock S 18 → 7").
 */
export const POST = answeringTradegeckoFailures(async (req: MedusaRequest, res: MedusaResponse) => {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const [link] = await tradegecko.listTradegeckoProductLinks({ product_id: req.params.id })
  if (!link) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product ${req.params.id} is not linked to a TradeGecko product`)
  }
  const snapshot = async () =>
    ((await query.graph({ entity: "product", fields: SNAPSHOT_FIELDS, filters: { id: req.params.id } })).data[0] ??
      null) as ProductSnapshot | null
  const before = await snapshot()
  const { done } = startCatalogSync(req.scope, {
    trigger: "manual",
    dryRun: false,
    scope: { product_ids: [link.tradegecko_product_id] },
  })
  const result = await done
  const after = await snapshot()
  const planned = result.planned.find((p) => p.tradegeckoProductId === link.tradegecko_product_id)
  const stock = planned ? stockChangeRows(planned) : []

  const variantLinks = stock.length
    ? await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: stock.map((s) => s.tradegecko_variant_id) })
    : []
  const { data: locations } = stock.length
    ? await query.graph({
        entity: "stock_location",
        fields: ["id", "name"],
        filters: { id: [...new Set(stock.map((s) => s.location_id))] },
      })
    : { data: [] as any[] }
  const change_words = describeProductChanges(before, after, {
    stock,
    variantOf: new Map(variantLinks.map((l) => [l.tradegecko_variant_id, l.variant_id])),
    locationName: new Map((locations as any[]).map((l) => [l.id as string, l.name as string])),
    keys: planned?.changes ?? [],
  })
  res.json({
    run_id: result.run_id,
    product_id: req.params.id,
    tradegecko_product_id: link.tradegecko_product_id,
    outcome: planned ? outcomeOf(planned) : "skipped",
    message: planned?.message ?? (planned ? null : "not found in TradeGecko"),
    changes: planned?.changes ?? [],
    change_words,
    stock_changes: stock,
  })
})
