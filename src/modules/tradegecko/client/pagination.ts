/**
 * Pagination and query-string helpers.
 *
 * TradeGecko pages with `page` (1-based) and `limit` (default 50, max 250) and describes
 * the result in an `X-Pagination` JSON header:
 *   {"total_records":3103,"total_pages":32,"first_page":true,"last_page":false,"out_of_bounds":false,"offset":0}
 * For `ids[]` lookups `total_records`/`total_pages` may be missing, so the iterator
 * relies on `last_page`, `out_of_bounds` and an empty page — never on the totals alone.
 */
import { PaginationSchema, type Pagination } from "./schemas"

/** Largest page the API serves. */
export const MAX_PAGE_SIZE = 250
/** Largest `ids[]` batch per request (keeps URLs well under limits; the API paginates id lookups too). */
export const MAX_IDS_PER_REQUEST = 100

/** Parses the `X-Pagination` header; undefined when absent or not valid JSON. */
export function parsePaginationHeader(raw: unknown): Pagination | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined
  let value: unknown = raw
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw)
    } catch {
      return undefined
    }
  }
  const parsed = PaginationSchema.safeParse(value)
  return parsed.success ? parsed.data : undefined
}

export interface PageInfo {
  page: number
  limit: number
  itemCount: number
  pagination: Pagination | undefined
}

/** Whether there is no page after this one. */
export function isLastPage(info: PageInfo): boolean {
  const p = info.pagination
  if (info.itemCount === 0) return true
  if (p?.last_page === true || p?.out_of_bounds === true) return true
  if (p?.total_pages !== undefined && info.page >= p.total_pages) return true
  if (p?.total_records !== undefined) {
    const offset = p.offset ?? (info.page - 1) * info.limit
    if (offset + info.itemCount >= p.total_records) return true
  }
  // Without any usable header we can only infer the end from a short page.
  if (p === undefined || p.last_page === undefined) return info.itemCount < info.limit
  return false
}

/**
 * Generic page loop: calls `fetchPage(page)` from `startPage` until `isLastPage`.
 * `maxPages` guards against a server that never says "last page".
 */
export async function* paginate<P extends { items: unknown[]; pagination: Pagination | undefined }>(
  fetchPage: (page: number) => Promise<P>,
  opts: { startPage: number; limit: number; maxPages?: number }
): AsyncGenerator<P, void, undefined> {
  const maxPages = opts.maxPages ?? 100_000
  for (let page = opts.startPage, n = 0; n < maxPages; page++, n++) {
    const result = await fetchPage(page)
    if (result.items.length > 0) yield result
    if (isLastPage({ page, limit: opts.limit, itemCount: result.items.length, pagination: result.pagination })) return
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** A query parameter value as accepted by list calls. */
export type QueryValue =
  string | number | boolean | Date | null | undefined | ReadonlyArray<string | number | boolean | Date>

/**
 * Serialises params the way TradeGecko reads them: arrays as `key[]=a&key[]=b` (brackets
 * left literal — shorter URLs), except `*_id` filters and `include`, which take the comma form, Dates as ISO-8601; null,
 * undefined and "" are dropped (the API ignores blank params anyway).
 */
export function serializeParams(params: Record<string, unknown> | undefined): string {
  if (!params) return ""
  const parts: string[] = []
  const enc = (v: unknown): string =>
    encodeURIComponent(v instanceof Date ? v.toISOString() : String(v))
      .replace(/%2C/gi, ",")
      .replace(/%3A/gi, ":")
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue
    if (key === "include" && Array.isArray(value)) {
      if (value.length > 0) parts.push(`include=${value.map(enc).join(",")}`)
      continue
    }
    if (Array.isArray(value) && /_id$/.test(key)) {
      // Integer foreign-key filters take the comma form (`variants?product_id=1,2`).
      const list = value.filter((v) => v !== undefined && v !== null && v !== "")
      if (list.length > 0) parts.push(`${encodeURIComponent(key)}=${list.map(enc).join(",")}`)
      continue
    }
    if (Array.isArray(value)) {
      const name = key.endsWith("[]") ? key : `${key}[]`
      for (const item of value) {
        if (item === undefined || item === null || item === "") continue
        parts.push(`${encodeURIComponent(name.slice(0, -2))}[]=${enc(item)}`)
      }
      continue
    }
    parts.push(`${encodeURIComponent(key)}=${enc(value)}`)
  }
  return parts.join("&")
}
