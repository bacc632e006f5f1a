import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"

export interface VariantPricesInput {
  variants: Array<{ variant_id: string; prices: Array<{ amount: number; currency_code: string }> }>
}

type Undo = {
  restored: Array<{ id: string; amount: number; currency_code: string; price_set_id: string }>
  createdPrices: string[]
  createdSets: Array<{ variant_id: string; price_set_id: string }>
}

/** A base price: no price list, no rules (region...), no quantity tier. The one the plugin owns per currency. */
function isBasePrice(p: any, currency: string) {
  return (
    String(p.currency_code).toLowerCase() === currency &&
    !p.price_list_id &&
    !(Number(p.rules_count ?? 0) > 0) &&
    (p.min_quantity === null || p.min_quantity === undefined) &&
    (p.max_quantity === null || p.max_quantity === undefined)
  )
}

/**
 * Sets the plugin's prices of existing variants — per currency, the base price (no
 * rules, no price list) — and nothing else: prices in other currencies, region or
 * customer-group prices and price-list prices the merchant made stay as they are.
 * (Medusa's product update would replace the whole price set.)
 */
export async function writeVariantPrices(
  container: MedusaContainer,
  input: VariantPricesInput
): Promise<{ changed: number; undo: Undo }> {
  const undo: Undo = { restored: [], createdPrices: [], createdSets: [] }
  const wanted = input.variants.filter((v) => v.prices.length)
  if (!wanted.length) return { changed: 0, undo }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const pricing = container.resolve(Modules.PRICING)
  const link = container.resolve(ContainerRegistrationKeys.LINK)

  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "price_set.id"],
    filters: { id: wanted.map((v) => v.variant_id) },
  })
  const setOf = new Map((data as any[]).map((v) => [v.id, v.price_set?.id ?? null]))
  const setIds = [...new Set([...setOf.values()].filter(Boolean))] as string[]
  const existing = setIds.length
    ? await pricing.listPrices(
        { price_set_id: setIds } as any,
        {
          select: [
            "id",
            "price_set_id",
            "currency_code",
            "amount",
            "rules_count",
            "price_list_id",
            "min_quantity",
            "max_quantity",
          ],
        } as any
      )
    : []

  let changed = 0
  const add: Array<{ priceSetId: string; prices: any[] }> = []
  for (const v of wanted) {
    const priceSetId = setOf.get(v.variant_id)
    if (!priceSetId) {
      const created = await pricing.createPriceSets([{ prices: v.prices }])
      await link.create({
        [Modules.PRODUCT]: { variant_id: v.variant_id },
        [Modules.PRICING]: { price_set_id: created[0].id },
      })
      undo.createdSets.push({ variant_id: v.variant_id, price_set_id: created[0].id })
      changed += v.prices.length
      continue
    }
    const prices: any[] = []
    for (const price of v.prices) {
      const current = (existing as any[]).find(
        (p) => p.price_set_id === priceSetId && isBasePrice(p, price.currency_code)
      )
      if (current && Number(current.amount) === price.amount) continue
      if (current) {
        prices.push({ id: current.id, amount: price.amount, currency_code: price.currency_code })
        undo.restored.push({
          id: current.id,
          amount: Number(current.amount),
          currency_code: current.currency_code,
          price_set_id: priceSetId,
        })
      } else {
        prices.push({ amount: price.amount, currency_code: price.currency_code, rules: {} })
      }
      changed++
    }
    if (prices.length) add.push({ priceSetId, prices })
  }
  if (add.length) {
    const before = new Set((existing as any[]).map((p) => p.id))
    const sets = await pricing.addPrices(add)
    for (const set of sets as any[]) {
      for (const p of set.prices ?? []) if (!before.has(p.id)) undo.createdPrices.push(p.id)
    }
  }
  return { changed, undo }
}

/** Step form of writeVariantPrices; compensation restores the previous amounts and removes what it added. */
export const setVariantPricesStep = createStep(
  "set-tradegecko-variant-prices",
  async (input: VariantPricesInput, { container }) => {
    const { changed, undo } = await writeVariantPrices(container, input)
    return new StepResponse({ changed }, undo)
  },
  async (undo, { container }) => {
    if (!undo) return
    const pricing = container.resolve(Modules.PRICING)
    if (undo.restored.length) {
      const bySet = new Map<string, any[]>()
      for (const r of undo.restored)
        bySet.set(r.price_set_id, [
          ...(bySet.get(r.price_set_id) ?? []),
          { id: r.id, amount: r.amount, currency_code: r.currency_code },
        ])
      await pricing.addPrices([...bySet].map(([priceSetId, prices]) => ({ priceSetId, prices })))
    }
    if (undo.createdPrices.length) await pricing.removePrices(undo.createdPrices)
    if (undo.createdSets.length) {
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      for (const s of undo.createdSets) {
        await link.dismiss({
          [Modules.PRODUCT]: { variant_id: s.variant_id },
          [Modules.PRICING]: { price_set_id: s.price_set_id },
        })
      }
      await pricing.deletePriceSets(undo.createdSets.map((s) => s.price_set_id))
    }
  }
)
