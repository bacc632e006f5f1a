import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { startCatalogSync } from "../lib/start-catalog-sync"

/**
 * Thin trigger: wakes every minute, claims the latest tick of the `productSyncSchedule`
 * option (hourly by default) once across all instances, and starts an incremental catalog
 * run for it. The run also takes the catalog lock, so a manual run in progress is not doubled.
 */
export default async function syncTradegeckoCatalogJob(container: MedusaContainer) {
  const logger = container.resolve("logger")
  try {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    if (!(await claimTickIfConnected(container, "catalog-sync", tradegecko.getOptions().productSyncSchedule))) return
    await startCatalogSync(container, { trigger: "schedule", dryRun: false, scope: null }).done.catch((e: Error) =>
      logger.warn(`TradeGecko scheduled catalog sync did not run: ${e.message}`)
    )
  } catch (e) {
    logger.warn(`TradeGecko catalog schedule check failed: ${(e as Error).message}`) // a tick must never crash the scheduler
  }
}

export const config = {
  name: "tradegecko-catalog-sync",
  schedule: JOB_WAKE_SCHEDULE,
}
