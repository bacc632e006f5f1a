// Index filters and ordering (spec §2.3–2.4, §2.9).
//   ids[]=1&ids[]=2 or ids=1,2 · created_at_min/max · updated_at_min/max ·
//   status (single, status[]=, or comma list; archived hidden by default,
//   orders hide void/deleted) · q (free text) · per-resource filters ·
//   order=created_at desc|asc (default most recent first, ties by id).
// Blank values are ignored. Unknown parameters are ignored.
import type { Ctx, ResourceDef } from "../resources/define"
import { parseTimestamp, toList } from "../format"
import type { Row } from "../store"
import type { Query } from "../http"

const present = (v: unknown) => toList(v).length > 0

export function applyFilters(def: ResourceDef, rows: Row[], query: Query, ctx: Ctx): Row[] {
  let out = rows
  const keep = (pred: (r: Row) => boolean) => {
    out = out.filter(pred)
  }

  const ids = toList(query.ids)
  if (ids.length) {
    const set = new Set(ids)
    keep((r) => set.has(String(r.id)))
  }

  for (const [param, field, cmp] of [
    ["created_at_min", "created_at", 1],
    ["created_at_max", "created_at", -1],
    ["updated_at_min", "updated_at", 1],
    ["updated_at_max", "updated_at", -1],
  ] as const) {
    const t = parseTimestamp(toList(query[param])[0])
    if (t !== undefined) keep((r) => (cmp === 1 ? r[field] >= t : r[field] <= t))
  }

  const statuses = toList(query.status)
  if (statuses.length) keep((r) => r.status === undefined || statuses.includes(r.status))
  else {
    const hidden = def.hiddenStatuses ?? ["archived"]
    keep((r) => r.status === undefined || !hidden.includes(r.status))
  }

  const q = toList(query.q).join(" ").toLowerCase()
  if (q && def.search) {
    const search = def.search
    const text = (r: Row) =>
      (typeof search === "function" ? search(r, ctx) : search.map((f) => r[f] ?? "").join(" ")).toLowerCase()
    keep((r) => text(r).includes(q))
  }

  for (const [param, filter] of Object.entries(def.filters ?? {})) {
    if (!present(query[param])) continue
    const values = toList(query[param])
    if (typeof filter === "function") {
      keep((r) => filter(r, values, ctx))
      continue
    }
    const field = filter.field ?? param
    switch (filter.type) {
      case "int":
      case "string":
        keep((r) => r[field] !== null && r[field] !== undefined && values.includes(String(r[field])))
        break
      case "tags": // comma string on the row (product tags)
        keep((r) => toList(r[field]).some((t) => values.includes(t)))
        break
      case "array":
        keep((r) => Array.isArray(r[field]) && r[field].some((t: unknown) => values.includes(String(t))))
        break
    }
  }
  return out
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return 1
  if (b === null || b === undefined) return -1
  if (typeof a === "number" && typeof b === "number") return a - b
  return String(a).localeCompare(String(b))
}

const idCompare = (a: Row, b: Row) => compare(Number(a.id), Number(b.id)) || compare(String(a.id), String(b.id))

/** Sorts by ?order=<field> [asc|desc]; ties broken by id in the same direction. */
export function sortRows(def: ResourceDef, rows: Row[], orderParam: unknown): Row[] {
  const m = /^\s*([a-z_]+)(?:[\s+]+(asc|desc))?\s*$/i.exec(toList(orderParam)[0] ?? "")
  const sorted = [...rows]
  if (m && rows.some((r) => m[1] in r)) {
    const field = m[1]
    const dir = (m[2] ?? "asc").toLowerCase() === "desc" ? -1 : 1
    return sorted.sort((a, b) => dir * (compare(a[field], b[field]) || idCompare(a, b)))
  }
  if (def.positioned) return sorted.sort((a, b) => compare(a.position, b.position) || idCompare(a, b))
  return sorted.sort((a, b) => -(compare(a.created_at, b.created_at) || idCompare(a, b)))
}
