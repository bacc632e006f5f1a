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
export function describeStockChanges(rows: Array<{ tradegecko_variant_id: number; from: number | null; to: number }>): string[] {
  return rows.map((r) => `stock of TradeGecko variant ${r.tradegecko_variant_id}: ${r.from ?? "none"} → ${r.to}`)
}
