import { model } from "@medusajs/framework/utils"

/** Push states of a Medusa order: see README "Orders" and the order health page. */
export const ORDER_PUSH_STATUSES = ["pending", "pushing", "pushed", "failed", "skipped"] as const

/**
 * A Medusa order ↔ its TradeGecko sales order. Written BEFORE TradeGecko is called,
 * with the Idempotency-Key the create uses, so a retry after a timeout or a crash
 * looks the order up (by reference number) instead of creating it twice.
 */
const TradegeckoOrderPushState = model
  .define("tradegecko_order_link", {
    id: model.id({ prefix: "tgol" }).primaryKey(),
    order_id: model.text(),
    /** Medusa display id, sent as the TradeGecko reference_number. */
    reference: model.text(),
    idempotency_key: model.text(),
    /**
     * HTTP status of TradeGecko's last answer to a create sent with `idempotency_key`; null
     * when none came (timeout, crash: the outcome is unknown). A definite rejection (4xx
     * other than 408/409/429) means that key created nothing: the next attempt looks the
     * order up by reference and then uses a new key (TradeGecko replays a key's stored
     * answer for 24 h, and answers 409 to the same key with a changed body).
     */
    last_push_status: model.number().nullable(),
    status: model.enum([...ORDER_PUSH_STATUSES]).default("pending"),
    tradegecko_order_id: model.number().nullable(),
    tradegecko_order_number: model.text().nullable(),
    tradegecko_status: model.text().nullable(),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    pushed_at: model.dateTime().nullable(),
    /** Why the order went to TradeGecko as a draft for review (acceptance rule), else null. */
    review_reason: model.text().nullable(),
    /** TradeGecko order line id → Medusa line item id (for shipments coming back). */
    line_map: model.json().nullable(),
    /** TradeGecko events already applied to Medusa (fulfillment ids, "paid", "void"). */
    applied: model.json().nullable(),
  })
  .indexes([{ on: ["order_id"], unique: true }, { on: ["status", "next_attempt_at"] }, { on: ["tradegecko_order_id"] }])

export default TradegeckoOrderPushState
