import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { isDue } from "../lib/schedule"
import { startCatalogSync } from "../workflows/sync-tradegecko-catalog"
import { ensureTradegeckoWebhooks } from "../workflows/steps/ensure-tradegecko-webhooks"

/**
 * Thin trigger: every minute, checks the `productSyncSchedule` option (hourly by
 * default) and starts an incremental catalog run when a tick has passed. The run
 * itself takes the catalog lock, so overlapping ticks or several workers never run twice.
 */
export default async function syncTradegeckoCatalogJob(container: MedusaContainer) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const options = tradegecko.getOptions()
  if (!options.privilegedToken || options.productSyncSchedule === "off") return
  const logger = container.resolve("logger")
  const last = await tradegecko
    .listTradegeckoSyncRuns({ kind: "catalog", trigger: "schedule" }, { order: { started_at: "DESC" }, take: 1 })
    .then(([run]) => run ?? null)
    .catch((e: Error) => {
      logger.warn(`TradeGecko catalog schedule check failed: ${e.message}`) // a tick must never crash the scheduler
      return undefined
    })
  if (last === undefined || !isDue(options.productSyncSchedule, last?.started_at ?? null, new Date())) return
  // With webhookBaseUrl set, keep TradeGecko's subscriptions in place (re-created if deleted, e.g. after 410s).
  await ensureTradegeckoWebhooks(container, { register: true }).catch((e: Error) =>
    logger.warn(`TradeGecko webhook registration failed: ${e.message}`)
  )
  await startCatalogSync(container, { trigger: "schedule", dryRun: false, scope: null }).done.catch((e: Error) =>
    logger.warn(`TradeGecko scheduled catalog sync did not run: ${e.message}`)
  )
}

export const config = {
  name: "tradegecko-catalog-sync",
  schedule: "* * * * *",
}
