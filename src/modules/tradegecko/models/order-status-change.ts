import { model } from "@medusajs/framework/utils"

export const STATUS_CHANGE_DIRECTIONS = ["to_tradegecko", "from_tradegecko"] as const
/**
 * pending: recorded, not sent yet (or waiting for the push / the draft's review);
 * sent: TradeGecko has it; failed: an attempt failed, retried at next_attempt_at;
 * attention: a person must decide (e.g. a paid order voided in TradeGecko); dismissed: a person let it go.
 */
export const STATUS_CHANGE_STATUSES = ["pending", "sent", "failed", "attention", "dismissed"] as const

/**
 * One order status change that must get across, recorded BEFORE it is attempted so an
 * outage or a crash cannot lose it: a Medusa capture ("pay") or cancel ("void") for
 * TradeGecko, retried with backoff until TradeGecko has it; or a TradeGecko change that
 * Medusa must not apply on its own (a paid order voided there), left for a person.
 */
const TradegeckoOrderStatusChange = model
  .define("tradegecko_order_status_change", {
    id: model.id({ prefix: "tgsc" }).primaryKey(),
    order_id: model.text(),
    direction: model.enum([...STATUS_CHANGE_DIRECTIONS]),
    /** "pay" or "void". */
    action: model.text(),
    status: model.enum([...STATUS_CHANGE_STATUSES]).default("pending"),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    done_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["order_id", "direction", "action"], unique: true }, { on: ["status", "next_attempt_at"] }])

export default TradegeckoOrderStatusChange
