import { model } from "@medusajs/framework/utils"
import { SYNC_RUN_ITEM_ID_PREFIX } from "../id-prefixes"

/** What one sync run did to one TradeGecko record. */
export const SYNC_OUTCOMES = ["created", "updated", "unchanged", "skipped", "failed"] as const

const TradegeckoSyncRunItem = model
  .define("tradegecko_sync_run_item", {
    id: model.id({ prefix: SYNC_RUN_ITEM_ID_PREFIX }).primaryKey(),
    run_id: model.text(),
    record_type: model.text(),
    tradegecko_id: model.number(),
    medusa_id: model.text().nullable(),
    outcome: model.enum([...SYNC_OUTCOMES]),
    /** Why it was skipped / why it failed, in words. */
    message: model.text().nullable(),
    changes: model.json().nullable(),
  })
  .indexes([{ on: ["run_id", "outcome"] }])

export default TradegeckoSyncRunItem
