import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { reconcileTradegeckoOrdersWorkflow } from "../workflows/orders/reconcile-tradegecko-orders"

/**
 * Thin trigger: claims each tick of the `orderReconcileSchedule` option (every 5 minutes by
 * default) once across all instances and applies to Medusa what changed on this store's
 * orders in TradeGecko (paid, shipped, returned, void) — the safety net for missed webhooks.
 */
export default async function reconcileTradegeckoOrdersJob(container: MedusaContainer) {
  try {
    const { orderReconcileSchedule } = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getOptions()
    if (!(await claimTickIfConnected(container, "order-reconcile", orderReconcileSchedule))) return
    await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "schedule" } })
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order reconciliation tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-reconcile-orders",
  schedule: JOB_WAKE_SCHEDULE,
}
