import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../../../modules/tradegecko/service"
import { findStatusChange, viewOne } from "../../status-change-views"

/**
 * POST /admin/tradegecko/orders/status-changes/:id/dismiss — a person lets a status change
 * go: it is no longer retried or listed as open (the reconciliation's cursor moves on past
 * a dismissed order). Only what is not done yet can be dismissed.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const found = await findStatusChange(req.scope, req.params.id)
  const open = found.kind === "action" ? ["pending", "failed", "attention"] : ["failed"]
  if (!open.includes(found.row.status)) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Status change ${req.params.id} is ${found.row.status}: only ${open.join(", ")} ones can be dismissed`
    )
  }
  if (found.kind === "action") {
    await tradegecko.updateTradegeckoOrderStatusChanges({
      id: found.row.id,
      status: "dismissed",
      next_attempt_at: null,
    })
  } else {
    await tradegecko.updateTradegeckoWebhookDeliveries({ id: found.row.id, status: "dismissed", next_attempt_at: null })
  }
  const actor = (req as any).auth_context?.actor_id ?? "an admin"
  const view = await viewOne(req.scope, found.row.id)
  req.scope
    .resolve("logger")
    .info(
      `TradeGecko status change ${view.id} (${view.action ?? view.event} of order ${view.reference ?? view.order_id ?? view.tradegecko_object_id}) dismissed by ${actor}`
    )
  res.json({ status_change: view })
}
