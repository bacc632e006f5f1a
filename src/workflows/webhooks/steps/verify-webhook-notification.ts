import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { parseWebhookNotification, verifyWebhookSignature } from "../../../modules/tradegecko/client"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"

export interface WebhookRequest {
  /** The request's raw body, base64 (the signature is over these exact bytes); null when no body parser kept it. */
  raw_body_base64: string | null
  /** X-Gecko-Signature. */
  signature: string
  /** X-Gecko-Delivery. */
  delivery_header: string | null
}

export interface WebhookNotification {
  event: string
  object_id: number
  /** X-Gecko-Delivery, or event:object_id:timestamp without it. */
  delivery_id: string
}

/**
 * Checks X-Gecko-Signature (base64 HMAC-SHA256 of the raw body with the OAuth application
 * secret; 401 when wrong) and the body (400 when it is no TradeGecko notification, or its
 * object_id is no TradeGecko id). Writes nothing.
 */
export const verifyWebhookNotificationStep = createStep(
  "verify-tradegecko-webhook-notification",
  async (input: WebhookRequest, { container }) => {
    const { clientSecret } = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getOptions()
    const raw = input.raw_body_base64 === null ? null : Buffer.from(input.raw_body_base64, "base64")
    if (!clientSecret || !raw || !verifyWebhookSignature(raw, input.signature, clientSecret)) {
      throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid X-Gecko-Signature")
    }
    let notification
    try {
      notification = parseWebhookNotification(JSON.parse(raw.toString("utf8")))
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid TradeGecko webhook body: ${(e as Error).message}`)
    }
    // object_id goes to an integer column: a value outside it is no TradeGecko id (was a false "duplicate")
    if (!(notification.object_id >= 1 && notification.object_id <= 2_147_483_647)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Invalid TradeGecko webhook body: object_id ${notification.object_id} out of range`
      )
    }
    const delivery_id =
      input.delivery_header || `${notification.event}:${notification.object_id}:${notification.timestamp}`
    return new StepResponse<WebhookNotification>({
      event: notification.event,
      object_id: notification.object_id,
      delivery_id,
    })
  }
)
