// Sideloading (spec §2.5): ?include=a,b adds top-level plural keys next to the
// primary key, e.g. {"variants":[...],"product":{...}}. Keys are plural even for
// belongs_to (addresses, companies). Orders honour include on show only.
// Older endpoints (fulfillments, invoices, tax_types, returns) always sideload
// their children (spec §2.1); `_include` (2015 spelling) is accepted too.
import type { Ctx, ResourceDef } from "../resources/define"
import { resource } from "../resources"
import { toList } from "../format"
import type { Query } from "../http"
import type { Row } from "../store"
import type { JsonObject } from "../types"

export function sideload(
  def: ResourceDef,
  primary: Row[],
  query: Query,
  ctx: Ctx,
  isIndex: boolean
): Record<string, JsonObject[]> {
  const requested = isIndex && def.includeOnIndex === false ? [] : [...toList(query.include), ...toList(query._include)]
  const names = [...new Set([...requested, ...(def.defaultIncludes ?? [])])]
  const out: Record<string, JsonObject[]> = {}
  const seen: Record<string, Set<string>> = {}
  for (const name of names) {
    const inc = def.includes?.[name]
    const target = inc && resource(inc.resource)
    if (!inc || !target) continue
    const list = (out[inc.resource] ??= [])
    const ids = (seen[inc.resource] ??= new Set())
    for (const row of inc.rows(primary, ctx)) {
      if (ids.has(String(row.id))) continue
      ids.add(String(row.id))
      list.push(target.serialize(row, ctx))
    }
  }
  return out
}
