import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { processTradegeckoWebhookWorkflow } from "../../../../../../../workflows/webhooks/process-tradegecko-webhook"
import { sendOrderStatusChangeWorkflow } from "../../../../../../../workflows/orders/send-order-status-change"
import { findStatusChange, viewOne } from "../../status-change-views"

/**
 * POST /admin/tradegecko/orders/status-changes/:id/retry — try a pay/void for TradeGecko,
 * or a failed delivery / reconciled order, now instead of at its next attempt. The answer
 * is the row afterwards (sent / processed, or failed again with the reason).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const found = await findStatusChange(req.scope, req.params.id)
  if (found.kind === "action") {
    if (found.row.direction !== "to_tradegecko" || !["pending", "failed"].includes(found.row.status)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Status change ${req.params.id} is ${found.row.status}: nothing to retry`
      )
    }
    await sendOrderStatusChangeWorkflow(req.scope).run({ input: { changeId: found.row.id } })
  } else {
    if (found.row.status !== "failed") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Status change ${req.params.id} is ${found.row.status}: nothing to retry`
      )
    }
    await processTradegeckoWebhookWorkflow(req.scope).run({ input: { id: found.row.id, retry: true } })
  }
  res.json({ status_change: await viewOne(req.scope, found.row.id) })
}
