// Pagination (spec §2.3): page (1-based) and limit (default 50, max 250; above
// → 400). Every collection response carries X-Pagination:
//   {"total_records":N,"total_pages":P,"first_page":b,"last_page":b,"out_of_bounds":b,"offset":o}
// limit=0 returns no records but valid totals (total_pages 1, as recorded).
// A Link header (rel next/prev/first/last) is emitted too, as in recordings.
import { toList } from "../format"
import type { Query } from "../http"
import { badRequest } from "./errors"

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 250

export interface Paging {
  page: number
  limit: number
}

function intParam(query: Query, name: string): number | undefined {
  const raw = toList(query[name])[0]
  if (raw === undefined) return undefined
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Invalid ${name} parameter: ${raw}`)
  return Number(raw)
}

export function parsePaging(query: Query): Paging {
  const limit = intParam(query, "limit") ?? DEFAULT_LIMIT
  if (limit < 0) throw badRequest(`Invalid limit parameter: ${limit}`)
  if (limit > MAX_LIMIT) throw badRequest(`The limit parameter must be ${MAX_LIMIT} or less`)
  const page = Math.max(1, intParam(query, "page") ?? 1)
  return { page, limit }
}

export interface PageResult<T> {
  items: T[]
  totalPages: number
  header: {
    total_records: number
    total_pages: number
    first_page: boolean
    last_page: boolean
    out_of_bounds: boolean
    offset: number
  }
}

export function paginate<T>(rows: T[], { page, limit }: Paging): PageResult<T> {
  const total = rows.length
  const totalPages = limit === 0 ? 1 : Math.ceil(total / limit)
  const offset = (page - 1) * limit
  return {
    items: limit === 0 ? [] : rows.slice(offset, offset + limit),
    totalPages,
    header: {
      total_records: total,
      total_pages: totalPages,
      first_page: page === 1,
      last_page: page >= totalPages,
      out_of_bounds: page > Math.max(totalPages, 1),
      offset,
    },
  }
}

/** RFC 5988 Link header with the request's own query, page replaced. */
export function linkHeader(url: string, rawQuery: string, { page }: Paging, totalPages: number): string | undefined {
  const link = (p: number, rel: string) => {
    const params = new URLSearchParams(rawQuery)
    params.set("page", String(p))
    return `<${url}?${params.toString()}>; rel="${rel}"`
  }
  const parts: string[] = []
  if (page > 1) parts.push(link(1, "first"), link(Math.min(page - 1, Math.max(totalPages, 1)), "prev"))
  if (page < totalPages) parts.push(link(page + 1, "next"))
  if (totalPages > 0) parts.push(link(totalPages, "last"))
  return parts.length ? parts.join(", ") : undefined
}
