import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { stockChangeRows } from "../../../../mappings/plan-catalog-changes"
import { startCatalogSync } from "../../../../lib/start-catalog-sync"
import { findActiveCatalogRun } from "../../../../workflows/catalog/steps/start-catalog-sync-run"
import type { PostCatalogSyncBodyType } from "../validators"

/**
 * POST /admin/tradegecko/sync — start a catalog run now (202 with its id), or with
 * `dry_run: true` answer with the plan (creates, updates, hides, stock changes) and
 * write nothing. 409 when a run is already going.
 */
export async function POST(req: MedusaRequest<PostCatalogSyncBodyType>, res: MedusaResponse) {
  const { dry_run, full } = req.validatedBody
  if (!dry_run) {
    const active = await findActiveCatalogRun(req.scope)
    if (active) {
      // Answered here: Medusa's error handler replaces a conflict's message with a generic one.
      res.status(409).json({
        type: "conflict",
        message: `A TradeGecko catalog sync is already running (${active.id})`,
        run_id: active.id,
      })
      return
    }
  }
  const { runId, started, done } = startCatalogSync(req.scope, {
    trigger: "manual",
    dryRun: dry_run,
    full,
    scope: null,
  })

  if (dry_run) {
    const result = await done
    const planned = result.planned
    res.json({
      run_id: runId,
      dry_run: true,
      counts: result.counts,
      warnings: result.warnings,
      creates: planned
        .filter((p) => p.action === "create")
        .map((p) => ({ tradegecko_product_id: p.tradegeckoProductId, title: p.title, status: p.status })),
      updates: planned
        .filter((p) => p.action === "update")
        .map((p) => ({ tradegecko_product_id: p.tradegeckoProductId, product_id: p.productId, changes: p.changes })),
      hides: planned.filter((p) => p.changes.some((c) => c.startsWith("hidden"))).map((p) => p.tradegeckoProductId),
      skips: planned
        .filter((p) => p.action === "skip")
        .map((p) => ({ tradegecko_product_id: p.tradegeckoProductId, reason: p.message })),
      stock_changes: planned.flatMap(stockChangeRows),
    })
    return
  }

  done.catch(() => undefined) // failures are recorded on the run
  // A run starting between the check and here meets the database lock instead.
  try {
    await started
  } catch (e) {
    res.status(409).json({ type: "conflict", message: (e as Error).message })
    return
  }
  res.status(202).json({ run_id: runId })
}
