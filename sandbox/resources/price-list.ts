// Price list (/price_lists; spec §3.5). The three built-in lists have string ids
// ("retail", "wholesale", "buy") and can only be changed through a variant's
// retail_price/wholesale_price/buy_price; custom lists have integer ids.
import { baseError } from "../conventions/errors"
import type { Row } from "../store"
import { define } from "./define"

export const BUILT_IN_PRICE_LISTS = ["buy", "wholesale", "retail"] as const
export const isBuiltInPriceList = (id: unknown) => (BUILT_IN_PRICE_LISTS as readonly unknown[]).includes(String(id))

function guardBuiltIn(row: Row): void {
  if (isBuiltInPriceList(row.id)) throw baseError("Default price lists cannot be changed or deleted")
}

export const priceList = define({
  name: "price_list",
  plural: "price_lists",
  klass: "PriceList",
  ops: ["list", "show", "create", "update", "delete"],
  writable: { code: "string", name: "string", currency_id: "int", position: "int" },
  required: ["name", "currency_id"],
  defaults: (ctx) => ({
    currency_id: ctx.store.all("accounts")[0]?.default_currency_id ?? 1,
    is_cost: false,
    is_default: null,
    position: ctx.store.all("price_lists").filter((p) => !isBuiltInPriceList(p.id)).length + 1,
  }),
  validate: (d, ctx, errors, existing) => {
    if (existing) guardBuiltIn(existing)
    if (!ctx.store.get("currencies", d.currency_id)) errors.add("currency_id", "is invalid")
  },
  destroy: (row, ctx) => {
    guardBuiltIn(row)
    ctx.store.delete("price_lists", row.id)
  },
  filters: { currency_id: { type: "int" } },
  serialize: (r, ctx) => {
    const currency = ctx.store.get("currencies", r.currency_id)
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      is_cost: r.is_cost,
      currency_id: r.currency_id,
      currency_symbol: currency?.symbol ?? null,
      currency_iso: currency?.iso ?? null,
      is_default: r.is_default,
      position: r.position ?? null,
    }
  },
})
