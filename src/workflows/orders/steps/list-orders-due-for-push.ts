import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { orderSyncAllows } from "../../../lib/order-sync"

/** A push still "pending"/"pushing" after this long was interrupted (crash, deploy); TRADEGECKO_STALE_PUSH_SECONDS, default 120. */
const STALE_PUSH_MS = Math.max(1, Number(process.env.TRADEGECKO_STALE_PUSH_SECONDS) || 120) * 1000
/** Orders placed within this window are checked for a missing push (lost order.placed). */
const MISSING_WINDOW_MS = 24 * 3600_000

/**
 * The orders the retry job pushes now (reads only; each push is exactly once: the link's
 * Idempotency-Key and the lookup by reference make a repeat harmless):
 *  - failed pushes whose backoff has passed;
 *  - pushes left "pending"/"pushing" by a process that died mid-push;
 *  - orders placed in the last day that have no order link at all (their order.placed
 *    event was lost), from orderSyncFrom on.
 */
export const findOrdersDueForPushStep = createStep(
  "find-tradegecko-orders-due-for-push",
  async ({ now: at, limit = 100 }: { now?: Date | string; limit?: number }, { container }) => {
    const now = at ? new Date(at) : new Date()
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { orderSyncLevel, orderSyncFrom } = await tradegecko.getSettings()
    if (!orderSyncAllows(orderSyncLevel, "push")) return new StepResponse([] as string[])
    const failed = await tradegecko.listTradegeckoOrderLinks(
      { status: "failed", next_attempt_at: { $lte: now } } as never,
      { take: limit, order: { next_attempt_at: "ASC" } }
    )
    const stale = await tradegecko.listTradegeckoOrderLinks(
      { status: ["pending", "pushing"], updated_at: { $lt: new Date(now.getTime() - STALE_PUSH_MS) } } as never,
      { take: limit }
    )
    const since = new Date(Math.max(now.getTime() - MISSING_WINDOW_MS, orderSyncFrom ? Date.parse(orderSyncFrom) : 0))
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: recent } = await query.graph({
      entity: "order",
      fields: ["id"],
      // placed more than a minute ago: the order.placed subscriber had its chance
      filters: {
        created_at: { $gte: since, $lt: new Date(now.getTime() - 60_000) },
        status: { $ne: "draft" },
      } as never,
      pagination: { take: 500, order: { created_at: "DESC" } },
    })
    const recentIds = (recent as Array<{ id: string }>).map((o) => o.id)
    const linked = recentIds.length
      ? await tradegecko.listTradegeckoOrderLinks(
          { order_id: recentIds },
          { select: ["order_id"], take: recentIds.length }
        )
      : []
    const linkedIds = new Set(linked.map((l) => l.order_id))
    const missing = recentIds.filter((id) => !linkedIds.has(id))
    return new StepResponse(
      [...new Set([...failed.map((l) => l.order_id), ...stale.map((l) => l.order_id), ...missing])].slice(0, limit)
    )
  }
)
