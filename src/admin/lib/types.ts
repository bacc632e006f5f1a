/** Shapes of the plugin's admin API answers (see src/api/admin/tradegecko). */

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
    locations: Array<{ location_id: string; location_name: string; stocked_quantity: number; reserved_quantity: number }>
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

export interface Connection {
  base_url: string
  connected: boolean
  credential_type: "privileged_token" | "oauth" | null
  source: "options" | "admin" | null
  oauth_available: boolean
  connected_at: string | null
  token_expires_at: string | null
  account: { id: number; name: string | null } | null
  account_error: string | null
}

export type ValueSource = "override" | "option" | "default" | "unset"

/** One plugin option in words (GET /settings options_list). */
export interface OptionRow {
  key: string
  label: string
  help: string
  value: unknown
  source: ValueSource
  default_value: unknown
  explained: string | null
}

/** One run-time override of the settings form (GET /settings fields). */
export interface SettingField extends OptionRow {
  input: "text" | "number" | "select" | "boolean" | "date" | "stock_location" | "sales_channel" | "price_list" | "location_map" | "currency_map" | "json"
  choices: Array<{ value: string; label: string }> | null
  unit: string | null
  option_value: unknown
  override: unknown
}

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

export interface WebhookHealth {
  event: string
  address: string
  registered: boolean
  tradegecko_webhook_id: number | null
  last_delivery_at: string | null
  last_delivery_status: string | null
}

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
  stock_changes?: Array<{ tradegecko_variant_id: number; variant: string | null; location_id: string; location: string | null; from: number | null; to: number }>
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
