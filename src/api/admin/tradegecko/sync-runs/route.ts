import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import { SYNC_RUN_KINDS } from "../../../../modules/tradegecko/models/sync-run"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"

/**
 * GET /admin/tradegecko/sync-runs?limit=&offset=&kind= — newest first, with progress,
 * and `kinds`: every kind of run recorded so far with its count (the page's filter).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const limit = Math.min(Math.max(Number(req.query.limit ?? 20) || 20, 1), 100)
  const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0)
  const filters = typeof req.query.kind === "string" ? { kind: req.query.kind as never } : {}
  const [runs, count] = await tradegecko.listAndCountTradegeckoSyncRuns(filters, {
    order: { started_at: "DESC" },
    take: limit,
    skip: offset,
  })
  const kinds = (
    await Promise.all(
      SYNC_RUN_KINDS.map(async (kind) => ({
        kind,
        count: (await tradegecko.listAndCountTradegeckoSyncRuns({ kind }, { take: 1, select: ["id"] }))[1],
      }))
    )
  ).filter((k) => k.count > 0)
  res.json({ sync_runs: runs, count, limit, offset, kinds })
}
