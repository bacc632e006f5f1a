import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { isDue } from "../lib/schedule"
import { reconcileTradegeckoOrders } from "../workflows/reconcile-tradegecko-orders"

/**
 * Thin trigger: every minute, checks the `orderReconcileSchedule` option (every 5 minutes
 * by default) and applies to Medusa what changed on this store's orders in TradeGecko
 * (paid, shipped, returned, void) — the safety net for webhooks that never arrived.
 */
export default async function reconcileTradegeckoOrdersJob(container: MedusaContainer) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const options = tradegecko.getOptions()
  if (!options.privilegedToken || options.orderReconcileSchedule === "off") return
  try {
    const [last] = await tradegecko.listTradegeckoSyncRuns({ kind: "order_status" }, { order: { started_at: "DESC" }, take: 1 })
    if (!isDue(options.orderReconcileSchedule, last?.started_at ?? null, new Date())) return
    await reconcileTradegeckoOrders(container)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order reconciliation tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-reconcile-orders",
  schedule: "* * * * *",
}
