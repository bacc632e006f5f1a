import { model } from "@medusajs/framework/utils"

/**
 * One run of a sync: a catalog pull, a webhook-driven update, an order push...
 * The admin "Sync runs" page and the status route read these rows.
 */
export const SYNC_RUN_KINDS = ["catalog", "stock", "order_push", "order_status"] as const
export const SYNC_RUN_TRIGGERS = ["schedule", "webhook", "manual", "event", "checkout"] as const
export const SYNC_RUN_STATUSES = ["running", "succeeded", "failed", "partial"] as const

const TradegeckoSyncRun = model
  .define("tradegecko_sync_run", {
    id: model.id({ prefix: "tgrun" }).primaryKey(),
    kind: model.enum([...SYNC_RUN_KINDS]),
    trigger: model.enum([...SYNC_RUN_TRIGGERS]),
    status: model.enum([...SYNC_RUN_STATUSES]).default("running"),
    started_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    counts: model.json().nullable(),
    error: model.text().nullable(),
  })
  .indexes([{ on: ["kind", "started_at"] }])

export default TradegeckoSyncRun
