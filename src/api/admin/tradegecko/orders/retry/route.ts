import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"
import { pushOrderToTradegeckoWorkflow } from "../../../../../workflows/orders/push-order-to-tradegecko"
import type { PostRetryOrdersBodyType } from "../../validators"

/**
 * POST /admin/tradegecko/orders/retry — order health's "Retry all": pushes every failed
 * (and, with `include_pending`, every pending) order now, one after another so the
 * client's rate-limit pacing applies. Each push is still exactly once.
 */
export async function POST(req: MedusaRequest<PostRetryOrdersBodyType>, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const statuses = req.validatedBody.include_pending ? ["failed", "pending"] : ["failed"]
  const links = await tradegecko.listTradegeckoOrderLinks(
    { status: statuses as never },
    { order: { created_at: "ASC" }, take: req.validatedBody.limit }
  )
  const results: Array<{ order_id: string; status: string; last_error: string | null }> = []
  for (const link of links) {
    const { result: after } = (await pushOrderToTradegeckoWorkflow(req.scope).run({
      input: { orderId: link.order_id },
    })) as {
      result: { status?: string; last_error?: string | null } | null
    }
    results.push({ order_id: link.order_id, status: after?.status ?? "skipped", last_error: after?.last_error ?? null })
  }
  res.json({
    retried: results.length,
    pushed: results.filter((r) => r.status === "pushed").length,
    failed: results.filter((r) => r.status === "failed").length,
    results,
  })
}
