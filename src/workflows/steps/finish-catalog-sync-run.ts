import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"
import type { CatalogCounts } from "./import-tradegecko-catalog"

/** Closes the run: succeeded, or partial when some records failed; frees the lock. */
export const finishCatalogSyncRunStep = createStep(
  "finish-tradegecko-catalog-sync-run",
  async ({ runId, counts }: { runId: string; counts: CatalogCounts }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const status = counts.failed > 0 ? "partial" : "succeeded"
    await tradegecko.updateTradegeckoSyncRuns({ id: runId, status, finished_at: new Date(), counts: { ...counts } })
    return new StepResponse({ runId, status })
  }
)
