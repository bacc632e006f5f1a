import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { listStatusChanges, STATUS_CHANGE_FILTERS, type StatusChangeFilter } from "./status-change-views"

/**
 * GET /admin/tradegecko/orders/status-changes?status=open|pending|failed|attention|sent|dismissed|all&limit=
 * Order health, status side: pay/void waiting for TradeGecko or failed, TradeGecko changes
 * left for a person, and webhook deliveries / reconciled orders that failed to apply.
 * Default "open": what is not done yet.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const status = String(req.query.status ?? "open")
  if (!(STATUS_CHANGE_FILTERS as readonly string[]).includes(status)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `status must be one of ${STATUS_CHANGE_FILTERS.join(", ")}`)
  }
  const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 500)
  const status_changes = await listStatusChanges(req.scope, status as StatusChangeFilter, limit)
  res.json({ status_changes, count: status_changes.length, status })
}
