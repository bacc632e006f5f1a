import { model } from "@medusajs/framework/utils"

/**
 * Every TradeGecko webhook delivery received (X-Gecko-Delivery). The unique delivery id
 * makes a repeated delivery a no-op; status/error show what processing did. A failed one is
 * retried with backoff (attempts, next_attempt_at) until it succeeds or a person dismisses it.
 * The order reconciliation records an order it could not apply here too (event "order.reconcile").
 */
const TradegeckoWebhookDelivery = model
  .define("tradegecko_webhook_delivery", {
    id: model.id({ prefix: "tgwh" }).primaryKey(),
    delivery_id: model.text(),
    event: model.text(),
    object_id: model.number(),
    status: model.enum(["received", "processed", "ignored", "failed", "dismissed"]).default("received"),
    run_id: model.text().nullable(),
    error: model.text().nullable(),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["delivery_id"], unique: true, where: null as never }, { on: ["status", "next_attempt_at"] }])

export default TradegeckoWebhookDelivery
