import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../../modules/tradegecko/service"
import { outcomeOf, stockChangeRows } from "../../../../../../mappings/plan-catalog-changes"
import { startCatalogSync } from "../../../../../../workflows/sync-tradegecko-catalog"
import { answeringTradegeckoFailures } from "../../../tradegecko-unavailable"

/**
 * POST /admin/tradegecko/products/:id/sync — Force sync: re-read this Medusa product's
 * TradeGecko product now and apply it; answers with what changed.
 */
export const POST = answeringTradegeckoFailures(async (req: MedusaRequest, res: MedusaResponse) => {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoProductLinks({ product_id: req.params.id })
  if (!link) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product ${req.params.id} is not linked to a TradeGecko product`)
  }
  const { done } = startCatalogSync(req.scope, { trigger: "manual", dryRun: false, scope: { product_ids: [link.tradegecko_product_id] } })
  const result = await done
  const planned = result.planned.find((p) => p.tradegeckoProductId === link.tradegecko_product_id)
  res.json({
    run_id: result.run_id,
    product_id: req.params.id,
    tradegecko_product_id: link.tradegecko_product_id,
    outcome: planned ? outcomeOf(planned) : "skipped",
    message: planned?.message ?? (planned ? null : "not found in TradeGecko"),
    changes: planned?.changes ?? [],
    stock_changes: planned ? stockChangeRows(planned) : [],
  })
})
