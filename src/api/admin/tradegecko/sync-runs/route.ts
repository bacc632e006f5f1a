import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"

/** GET /admin/tradegecko/sync-runs?limit=&offset=&kind= — newest first, with progress. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const limit = Math.min(Math.max(Number(req.query.limit ?? 20) || 20, 1), 100)
  const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0)
  const filters = typeof req.query.kind === "string" ? { kind: req.query.kind as never } : {}
  const [runs, count] = await tradegecko.listAndCountTradegeckoSyncRuns(filters, { order: { started_at: "DESC" }, take: limit, skip: offset })
  res.json({ sync_runs: runs, count, limit, offset })
}
