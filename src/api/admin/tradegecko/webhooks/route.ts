import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { tradegeckoConnected } from "../../../../lib/scheduled-tick"
import { ensureTradegeckoWebhooksWorkflow } from "../../../../workflows/webhooks/ensure-tradegecko-webhooks"
import { answeringTradegeckoFailures } from "../tradegecko-unavailable"

/**
 * GET /admin/tradegecko/webhooks — TradeGecko subscriptions and their last delivery;
 * `connected: false` and no subscriptions while the store is not connected (was a 500).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  if (!(await tradegeckoConnected(req.scope))) {
    res.json({ webhooks: [], connected: false })
    return
  }
  const { result } = await ensureTradegeckoWebhooksWorkflow(req.scope).run({ input: { register: false } })
  res.json({ webhooks: result.webhooks, connected: true })
}

/** POST /admin/tradegecko/webhooks — register the missing subscriptions now. */
export const POST = answeringTradegeckoFailures(async (req: MedusaRequest, res: MedusaResponse) => {
  const { result } = await ensureTradegeckoWebhooksWorkflow(req.scope).run({ input: { register: true } })
  res.json({ webhooks: result.webhooks, connected: true })
})
