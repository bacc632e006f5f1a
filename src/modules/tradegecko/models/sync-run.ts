import { model } from "@medusajs/framework/utils"

/**
 * One run of a sync: a catalog pull, a webhook-driven update, an order push...
 * The admin "Sync runs" page and the status route read these rows.
 */
/** catalog: full or incremental pull (one at a time); product: one product (webhook, force sync). */
export const SYNC_RUN_KINDS = ["catalog", "product", "stock", "order_push", "order_status"] as const
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
    /** Records processed so far / expected (null until known). */
    processed: model.number().default(0),
    total: model.number().nullable(),
    dry_run: model.boolean().default(false),
    /** `updated_at_min` of an incremental run (null: full import). */
    since: model.dateTime().nullable(),
    /** What a targeted run asked for, e.g. { product_ids: [1] }. */
    scope: model.json().nullable(),
    /** Updated while the run works; a "running" run without a recent heartbeat died. */
    heartbeat_at: model.dateTime().nullable(),
    error: model.text().nullable(),
    /** What the merchant should know about the run, in words (currency without a price list, an unlinked location...). */
    warnings: model.json().nullable(),
  })
  .indexes([
    { on: ["kind", "started_at"] },
    // The lock: at most one running catalog run, enforced by Postgres across processes.
    {
      name: "IDX_tradegecko_sync_run_one_catalog_running",
      on: ["kind"],
      unique: true,
      where: "status = 'running' AND dry_run = false AND kind = 'catalog'",
    },
  ])

export default TradegeckoSyncRun
