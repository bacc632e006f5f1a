import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"

/** GET /admin/tradegecko/sync-runs/:id?outcome= — one run with its per-record outcomes. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [run] = await tradegecko.listTradegeckoSyncRuns({ id: req.params.id })
  if (!run) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Sync run ${req.params.id} not found`)
  const filters: Record<string, unknown> = { run_id: run.id }
  if (typeof req.query.outcome === "string") filters.outcome = req.query.outcome
  const items = await tradegecko.listTradegeckoSyncRunItems(filters, { order: { tradegecko_id: "ASC" }, take: 1000 })
  res.json({ sync_run: { ...run, items } })
}
