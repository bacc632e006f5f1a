import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { pushOrderToTradegecko } from "../workflows/push-order-to-tradegecko"

/**
 * Thin trigger: every minute, pushes again the orders whose push failed and whose
 * backoff has passed. Nothing is dropped: a failed order stays failed, visible on
 * the order health page, until a push succeeds.
 */
export default async function retryTradegeckoOrderPushes(container: MedusaContainer) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  if (!tradegecko.getOptions().privilegedToken) return
  try {
    const due = await tradegecko.listTradegeckoOrderLinks(
      { status: "failed", next_attempt_at: { $lte: new Date() } } as never,
      { take: 50, order: { next_attempt_at: "ASC" } }
    )
    for (const link of due) await pushOrderToTradegecko(container, link.order_id)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order retry tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: "* * * * *",
}
