// Output formatting and input coercion shared by every resource.
//
// TradeGecko (a Rails app) emitted money and quantities as JSON strings:
// BigDecimal#to_s style ("10.0", "4.5", "-5.0") for prices and line quantities,
// and a trailing-zero-stripped form ("10", "32.5") for the stock totals on
// variants/products (spec §2.1, §8.2). Timestamps are ISO-8601 with ms and "Z";
// business dates are "YYYY-MM-DD".

/** Round away float noise (0.1 + 0.2) before printing. */
function clean(n: number): number {
  return Math.round(n * 1e6) / 1e6
}

/** BigDecimal#to_s("F") style: 10 -> "10.0", 4.5 -> "4.5", null -> null. */
export function dec(n: number | null | undefined): string | null {
  if (n === null || n === undefined || Number.isNaN(n)) return null
  const v = clean(n) + 0 // normalise -0
  return Number.isInteger(v) ? `${v}.0` : String(v)
}

/** Stock style: 10 -> "10", 32.5 -> "32.5", null -> null. */
export function qty(n: number | null | undefined): string | null {
  if (n === null || n === undefined || Number.isNaN(n)) return null
  return String(clean(n) + 0)
}

/** Money rounded to cents, printed like dec(). */
export function money(n: number): string {
  return dec(Math.round(n * 100) / 100) as string
}

export function ts(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString()
}

export function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Accepts "2018-02-21", "21-02-2018" (used in the sales-order guide) or any ISO timestamp. */
export function parseDate(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined
  const s = String(v).trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (m) return validYmd(m[1], m[2], m[3])
  m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s)
  if (m) return validYmd(m[3], m[2], m[1])
  const t = typeof v === "number" ? v : Date.parse(s)
  return Number.isNaN(t) ? undefined : dateOnly(t)
}

function validYmd(y: string, mo: string, d: string): string | undefined {
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d))
  const out = `${y}-${mo}-${d}`
  return Number.isNaN(t) || dateOnly(t) !== out ? undefined : out
}

/** Parses ISO timestamps or plain dates for *_min/*_max filters; undefined when unparseable. */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined
  const s = v.trim()
  // Dates and zone-less timestamps are read as UTC.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : /T[^Z+-]*$/.test(s) ? `${s}Z` : s
  const t = Date.parse(iso)
  return Number.isNaN(t) ? undefined : t
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v)
  return undefined
}

export function toBool(v: unknown): boolean | undefined {
  if (v === true || v === 1 || v === "true" || v === "1" || v === "t") return true
  if (v === false || v === 0 || v === "false" || v === "0" || v === "f") return false
  return undefined
}

/** "a,b" | ["a","b"] | [["a"]] -> ["a","b"]; blanks dropped. */
export function toList(v: unknown): string[] {
  const flat = (Array.isArray(v) ? v.flat(2) : [v]) as unknown[]
  return flat
    .filter((x) => x !== null && x !== undefined && typeof x !== "object")
    .flatMap((x) => String(x).split(","))
    .map((x) => x.trim())
    .filter((x) => x !== "")
}
