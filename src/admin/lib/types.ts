/** Shapes of the plugin's admin API answers (see src/api/admin/tradegecko). */
// Type-only imports of the server's own shapes: erased from the admin bundle.
import type { OptionRow, SettingField, ValueSource } from "../../api/admin/tradegecko/settings/describe"
import type { ConnectionDescription } from "../../modules/tradegecko/connection"
import type { StockChangeRow } from "../../api/admin/tradegecko/helpers"
import type { StatusChangeView } from "../../api/admin/tradegecko/orders/status-changes/status-change-views"
import type { WebhookHealth } from "../../workflows/webhooks/steps/webhook-health"

export interface ProductLinkDetail {
  product_id: string
  linked: boolean
  tradegecko_product_id?: number
  tradegecko_url?: string | null
  last_synced_at?: string | null
  archived?: boolean
  hidden_by_sync?: boolean
  last_outcome?: { outcome: string; message: string | null; run_id: string; at: string } | null
  warnings?: string[]
  tradegecko_error?: string | null
  variants?: Array<{
    variant_id: string
    title: string
    sku: string | null
    tradegecko_variant_id: number | null
    stock_synced_at: string | null
    online_stock: number
    locations: Array<{
      location_id: string
      location_name: string
      stocked_quantity: number
      reserved_quantity: number
    }>
    rule: { kind: string; text: string }
  }>
}

export interface ForceSyncResult {
  run_id: string
  product_id: string
  tradegecko_product_id: number
  outcome: string
  message: string | null
  changes: string[]
  /** What changed, in words: "title", "price M 50 → 55", "stock S 18 → 7". */
  change_words?: string[]
  stock_changes: Array<{ tradegecko_variant_id: number; location_id: string; from: number | null; to: number }>
}

export interface OrderPush {
  order_id: string
  reference: string
  status: "pending" | "pushing" | "pushed" | "failed" | "skipped"
  tradegecko_order_id: number | null
  tradegecko_order_number: string | null
  tradegecko_status: string | null
  attempts: number
  last_error: string | null
  review_reason?: string | null
  next_attempt_at: string | null
  pushed_at: string | null
  created_at: string
  updated_at?: string
}

/** A server answer after JSON: its dates arrive as strings. */
type Serialized<T> = { [K in keyof T]: Date extends T[K] ? Exclude<T[K], Date> | string : T[K] }

/** The connection as GET /settings reports it (src/modules/tradegecko/connection.ts). */
export type Connection = Serialized<ConnectionDescription>

/** One plugin option in words (options_list), one run-time override (fields): built by settings/describe.ts. */
export type { OptionRow, SettingField, ValueSource }

export interface SettingsChoices {
  stock_locations: Array<{ id: string; name: string }>
  sales_channels: Array<{ id: string; name: string }>
  tradegecko_locations: Array<{ id: string; name: string }>
  price_lists: Array<{ id: string; name: string; currency: string | null }>
  tradegecko_error: string | null
}

export interface SettingsAnswer {
  settings: {
    connection: Connection
    options: Record<string, unknown>
    editable: string[]
    options_list?: OptionRow[]
    fields?: SettingField[]
    choices?: SettingsChoices
  }
}

/** Each subscribed event's health (GET /admin/tradegecko/webhooks). */
export type { WebhookHealth }

/** A status change of an order, either way (GET /admin/tradegecko/orders/status-changes). */
export type StatusChange = Serialized<StatusChangeView>

export interface SyncRun {
  id: string
  kind: string
  trigger: string
  status: "running" | "succeeded" | "failed" | "partial"
  started_at: string
  finished_at: string | null
  counts: Record<string, number> | null
  processed: number
  total: number | null
  dry_run: boolean
  error: string | null
}

export interface SyncRunItem {
  id: string
  record_type: string
  tradegecko_id: number
  medusa_id: string | null
  outcome: "created" | "updated" | "unchanged" | "skipped" | "failed"
  message: string | null
  /** As stored: the plan's change keys and stock (variant → location → [from, to]). */
  changes: { changes?: string[]; stock?: Record<string, Record<string, [number | null, number]>> } | string[] | null
  /** What changed, in words (stock named by SKU and location). */
  change_text?: string | null
  stock_changes?: StockChangeRow[]
}

export interface SyncRunList {
  sync_runs: SyncRun[]
  count: number
  kinds?: Array<{ kind: string; count: number }>
}

export interface DryRunAnswer {
  run_id: string
  dry_run: true
  counts: Record<string, number>
  creates: Array<{ tradegecko_product_id: number; title: string; status: string }>
  updates: Array<{ tradegecko_product_id: number; product_id: string; changes: string[] }>
  hides: number[]
  skips: Array<{ tradegecko_product_id: number; reason: string | null }>
  stock_changes: Array<{ tradegecko_variant_id: number; location_id: string; from: number | null; to: number }>
}
