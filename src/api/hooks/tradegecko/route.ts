import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER } from "../../../modules/tradegecko/client"
import { receiveTradegeckoWebhookWorkflow } from "../../../workflows/webhooks/receive-tradegecko-webhook"

/**
 * POST /hooks/tradegecko — TradeGecko webhook receiver (receiveTradegeckoWebhookWorkflow).
 * 401 and nothing written when X-Gecko-Signature is wrong; a repeated X-Gecko-Delivery is
 * acknowledged and ignored; otherwise the delivery is recorded, handed to the workers and
 * answered at once.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const raw = (req as MedusaRequest & { rawBody?: Buffer }).rawBody
  const { result } = await receiveTradegeckoWebhookWorkflow(req.scope).run({
    input: {
      raw_body_base64: raw ? raw.toString("base64") : null,
      signature: req.get(WEBHOOK_SIGNATURE_HEADER) ?? "",
      delivery_header: req.get(WEBHOOK_DELIVERY_HEADER) ?? null,
    },
  })
  res.status(200).json({ received: true, ...result })
}
