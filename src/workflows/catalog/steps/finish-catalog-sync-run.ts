import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { CatalogCounts } from "./import-tradegecko-catalog"

/** Closes the run: succeeded, or partial when some records failed; records its warnings; frees the lock. */
export const finishCatalogSyncRunStep = createStep(
  "finish-tradegecko-catalog-sync-run",
  async ({ runId, counts, warnings }: { runId: string; counts: CatalogCounts; warnings?: string[] }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const status = counts.failed > 0 ? "partial" : "succeeded"
    await tradegecko.updateTradegeckoSyncRuns({
      id: runId,
      status,
      finished_at: new Date(),
      counts: { ...counts },
      warnings: (warnings?.length ? warnings : null) as any,
    })
    return new StepResponse({ runId, status })
  }
)
