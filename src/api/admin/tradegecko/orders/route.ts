import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import { ORDER_PUSH_STATUSES } from "../../../../modules/tradegecko/models/order-push-state"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"

/** GET /admin/tradegecko/orders?status=failed&limit=&offset= — order health: push state per order. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const filters: Record<string, unknown> = {}
  if (req.query.status !== undefined) {
    const status = String(req.query.status)
    if (!(ORDER_PUSH_STATUSES as readonly string[]).includes(status)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `status must be one of ${ORDER_PUSH_STATUSES.join(", ")}`)
    }
    filters.status = status
  }
  if (typeof req.query.order_id === "string") filters.order_id = req.query.order_id
  const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 200)
  const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0)
  const [orders, count] = await tradegecko.listAndCountTradegeckoOrderLinks(filters, {
    order: { created_at: "DESC" },
    take: limit,
    skip: offset,
  })
  res.json({ orders, count, limit, offset })
}
