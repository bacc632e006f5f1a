import { model } from "@medusajs/framework/utils"

/**
 * The shared rate-limit budget: calls started in one TradeGecko rate-limit window, by
 * every server and worker process together (TradeGecko counts per account, not per
 * process). `id` is `<account key>:<X-Rate-Limit-Reset>`; rows are written with one atomic
 * upsert each (see PostgresRateBudgetStore) and deleted once expired.
 */
const TradegeckoRateWindow = model.define("tradegecko_rate_window", {
  id: model.text().primaryKey(),
  used: model.number().default(0),
  expires_at: model.dateTime(),
})

export default TradegeckoRateWindow
