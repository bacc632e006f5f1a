import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { finishCatalogSyncRunStep } from "./steps/finish-catalog-sync-run"
import { importTradegeckoCatalogStep } from "./steps/import-tradegecko-catalog"
import { resolveCatalogContextStep } from "./steps/resolve-catalog-context"
import { startCatalogSyncRunStep, type StartCatalogSyncRunInput } from "./steps/start-catalog-sync-run"

export const syncTradegeckoCatalogWorkflowId = "sync-tradegecko-catalog"

/**
 * One catalog sync run, TradeGecko → Medusa: record the run (and take the lock) →
 * store context → fetch what changed and apply it in batches → close the run.
 * Full or incremental (`updated_at_min` from the last good run), or targeted at some
 * products/variants (webhooks, Force sync). With dryRun it plans and writes nothing.
 */
export const syncTradegeckoCatalogWorkflow = createWorkflow(
  syncTradegeckoCatalogWorkflowId,
  (input: StartCatalogSyncRunInput) => {
    const run = startCatalogSyncRunStep(input)
    const context = resolveCatalogContextStep(transform({ input }, ({ input }) => ({ dryRun: input.dryRun })))
    const imported = importTradegeckoCatalogStep(
      transform({ input, run, context }, ({ input, run, context }) => ({
        runId: input.runId,
        dryRun: input.dryRun,
        since: run.since,
        scope: input.scope,
        pageSize: input.pageSize,
        context,
      }))
    )
    const finished = finishCatalogSyncRunStep(
      transform({ input, imported, context }, ({ input, imported, context }) => ({
        runId: input.runId,
        counts: imported.counts,
        warnings: context.warnings,
      }))
    )
    return new WorkflowResponse(
      transform({ finished, imported, run, context }, ({ finished, imported, run, context }) => ({
        run_id: finished.runId,
        status: finished.status,
        since: run.since,
        counts: imported.counts,
        planned: imported.planned,
        warnings: context.warnings,
      }))
    )
  }
)
