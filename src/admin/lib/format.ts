/** "3 min ago" style ages and readable dates for the admin screens. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return "never"
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? "—" : d.toLocaleString()
}

export function age(value: string | Date | null | undefined, now = Date.now()): string {
  if (!value) return "—"
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000))
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
  return `${Math.floor(seconds / 86400)} d`
}

/** One line per change of a Force sync / dry run, e.g. "stock of variant 200001: 45 → 12". */
export function describeStockChanges(
  rows: Array<{ tradegecko_variant_id: number; from: number | null; to: number }>
): string[] {
  return rows.map((r) => `stock of TradeGecko variant ${r.tradegecko_variant_id}: ${r.from ?? "none"} → ${r.to}`)
}

/** Outcome count keys in words, singular and plural ("1 hidden", "147 stock changes"). */
const COUNT_WORDS: Record<string, [string, string]> = {
  created: ["created", "created"],
  updated: ["updated", "updated"],
  unchanged: ["unchanged", "unchanged"],
  skipped: ["skipped", "skipped"],
  failed: ["failed", "failed"],
  hidden: ["hidden", "hidden"],
  shown: ["shown again", "shown again"],
  stock_changes: ["stock change", "stock changes"],
  seen: ["order read", "orders read"],
  ours: ["from this store", "from this store"],
  changed: ["changed", "changed"],
}

/** A run's counts as a sentence part: "1 updated, 1 hidden, 147 stock changes" (zeros left out unless all are zero). */
export function countsText(counts: Record<string, number> | null | undefined): string {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => typeof n === "number")
  const shown = entries.filter(([, n]) => n)
  if (!entries.length) return "—"
  if (!shown.length) return "nothing to do"
  return shown
    .map(([k, n]) => {
      const [one, many] = COUNT_WORDS[k] ?? [k.replace(/_/g, " "), k.replace(/_/g, " ")]
      return `${n} ${n === 1 ? one : many}`
    })
    .join(", ")
}

const KIND_WORDS: Record<string, string> = {
  catalog: "Catalog",
  product: "One product",
  stock: "Stock at checkout",
  order_push: "Order push",
  order_status: "Order status",
}
/** A sync run kind in words ("order_status" → "Order status"). */
export function kindLabel(kind: string): string {
  return KIND_WORDS[kind] ?? kind.replace(/_/g, " ")
}

const TRIGGER_WORDS: Record<string, string> = {
  schedule: "scheduled",
  webhook: "TradeGecko webhook",
  manual: "from the admin",
  event: "store event",
  checkout: "checkout",
}
export function triggerLabel(trigger: string): string {
  return TRIGGER_WORDS[trigger] ?? trigger
}

/** A catalog plan change key in words (dry run table, Force sync). */
export function changeWords(keys: string[]): string[] {
  const words: Record<string, string> = {
    created: "created from TradeGecko",
    details: "product details",
    "linked by SKU": "linked to the existing product by SKU",
  }
  return keys.filter((k) => k !== "stock").map((k) => words[k] ?? k)
}
