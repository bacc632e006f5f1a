import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"

/** GET /admin/tradegecko/orders/:id — the order widget: this Medusa order's push to TradeGecko (null: none yet). */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: req.params.id })
  const { orderSyncLevel } = await tradegecko.getSettings()
  res.json({ order: link ? publicOrderLink(link) : null, order_sync_level: orderSyncLevel })
}

/** The fields of an order link the admin shows (not the idempotency key or line maps). */
export function publicOrderLink(link: Record<string, any>) {
  return {
    order_id: link.order_id,
    reference: link.reference,
    status: link.status,
    tradegecko_order_id: link.tradegecko_order_id,
    tradegecko_order_number: link.tradegecko_order_number,
    tradegecko_status: link.tradegecko_status,
    attempts: link.attempts,
    last_error: link.last_error,
    review_reason: link.review_reason ?? null,
    next_attempt_at: link.next_attempt_at,
    pushed_at: link.pushed_at,
    created_at: link.created_at,
    updated_at: link.updated_at,
  }
}
