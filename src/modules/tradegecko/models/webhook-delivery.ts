import { model } from "@medusajs/framework/utils"

/**
 * Every TradeGecko webhook delivery received (X-Gecko-Delivery). The unique delivery id
 * makes a repeated delivery a no-op; status/error show what processing did.
 */
const TradegeckoWebhookDelivery = model
  .define("tradegecko_webhook_delivery", {
    id: model.id({ prefix: "tgwh" }).primaryKey(),
    delivery_id: model.text(),
    event: model.text(),
    object_id: model.number(),
    status: model.enum(["received", "processed", "ignored", "failed"]).default("received"),
    run_id: model.text().nullable(),
    error: model.text().nullable(),
  })
  .indexes([{ on: ["delivery_id"], unique: true, where: null as never }])

export default TradegeckoWebhookDelivery
