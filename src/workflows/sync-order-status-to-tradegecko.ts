import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"

export type ForwardAction = "pay" | "void"

/**
 * Medusa → TradeGecko status: payment captured → `pay` (invoiced and paid),
 * canceled → `void` (a draft is deleted instead, as TradeGecko wants). Applied once per order (recorded on the order link); when the
 * order is not in TradeGecko yet the action waits and is sent right after the push.
 */
export async function forwardOrderAction(container: MedusaContainer, orderId: string, action: ForwardAction) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { orderSyncLevel } = await tradegecko.getSettings()
  if (orderSyncLevel !== "push_and_status") return null
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
  if (!link) return null
  const applied = (link.applied ?? {}) as Record<string, unknown>
  if (applied[`${action}_sent`]) return link
  if (link.status !== "pushed" || !link.tradegecko_order_id) {
    return tradegecko.updateTradegeckoOrderLinks({ id: link.id, applied: { ...applied, [`${action}_pending`]: true } })
  }
  if (link.tradegecko_status === "draft") {
    // A draft waits for the merchant's review in TradeGecko: it cannot be paid yet (the
    // payment is sent once the order is finalized), and a canceled draft is deleted.
    if (action === "pay") {
      return tradegecko.updateTradegeckoOrderLinks({ id: link.id, applied: { ...applied, pay_pending: true } })
    }
    await tradegecko.getClient().orders.delete(link.tradegecko_order_id)
    return tradegecko.updateTradegeckoOrderLinks({
      id: link.id,
      tradegecko_status: "deleted",
      applied: { ...applied, void_sent: true, void_pending: false },
    })
  }
  const { order } = await tradegecko
    .getClient()
    .orders.action(link.tradegecko_order_id, action, undefined, { idempotencyKey: `medusa-${action}-${orderId}` })
  return tradegecko.updateTradegeckoOrderLinks({
    id: link.id,
    tradegecko_status: order?.status ?? link.tradegecko_status,
    applied: { ...applied, [`${action}_sent`]: true, [`${action}_pending`]: false },
  })
}

/** Sends the actions that waited for the push (see forwardOrderAction). */
export async function sendPendingOrderActions(container: MedusaContainer, orderId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
  const applied = (link?.applied ?? {}) as Record<string, unknown>
  for (const action of ["pay", "void"] as const) {
    if (applied[`${action}_pending`]) await forwardOrderAction(container, orderId, action)
  }
}
