/** Small, pure helpers shared by the admin routes (no container, no I/O). */

export type VariantRuleKind = "archived" | "not_managed" | "keep_selling" | "max_online" | "stock" | "unknown" | "not_linked"

interface TradegeckoVariantRuleInput {
  status?: string | null
  manage_stock?: boolean | null
  keep_selling?: boolean | null
  max_online?: string | number | null
}

/**
 * The stock rule that decides a variant's online stock, in the words the widget shows
 * (same precedence as mapTradegeckoProduct: archived, not managed, keep selling, cap).
 */
export function describeVariantRule(
  tg: TradegeckoVariantRuleInput | undefined,
  productKeepsSelling: boolean,
  allowBackorder: boolean
): { kind: VariantRuleKind; text: string } {
  if (!tg) {
    return { kind: "unknown", text: allowBackorder ? "Sells past zero (rule not read from TradeGecko)" : "Rule not read from TradeGecko" }
  }
  if (tg.status === "archived") return { kind: "archived", text: "Archived in TradeGecko: cannot be bought" }
  if (tg.manage_stock === false) return { kind: "not_managed", text: "Stock not managed in TradeGecko: keeps selling, stock 0" }
  if (productKeepsSelling) return { kind: "keep_selling", text: "Keep selling: sells past zero" }
  const cap = tg.max_online === null || tg.max_online === undefined || tg.max_online === "" ? null : Number(tg.max_online)
  if (cap !== null && Number.isFinite(cap)) return { kind: "max_online", text: `Online stock capped at ${Math.max(0, Math.floor(cap))} (max_online)` }
  return { kind: "stock", text: "Available stock (on hand − committed)" }
}

/** TradeGecko's own product page, only for the real API (the sandbox has no web app). */
export function tradegeckoProductUrl(baseUrl: string, productId: number): string | null {
  return /^https:\/\/api\.tradegecko\.com$/i.test(baseUrl) ? `https://go.tradegecko.com/products/${productId}` : null
}

const SECRET_OPTIONS = new Set(["clientSecret", "privilegedToken"])

/** Options as the settings page shows them: secrets replaced by whether they are set. */
export function maskOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (key === "database") continue
    out[key] = SECRET_OPTIONS.has(key) ? (value ? "•••••• (set)" : null) : value
  }
  return out
}

/**
 * Where TradeGecko sends the browser back after consent: this server's public URL
 * (webhookBaseUrl, when set) or the host the admin called. It must equal the redirect
 * URI registered with the TradeGecko application.
 */
export function oauthRedirectUri(publicBaseUrl: string | undefined, req: { protocol: string; get(name: string): string | undefined }): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get("host")}`
  return `${base.replace(/\/+$/, "")}/tradegecko/oauth/callback`
}
