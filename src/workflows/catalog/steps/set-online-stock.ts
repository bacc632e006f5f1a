import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { newEntityId } from "../../../lib/entity-ids"
import type { MedusaContainer } from "@medusajs/framework/types"

export interface OnlineStockInput {
  /** Absolute stocked quantity per inventory item and Medusa stock location. */
  items: Array<{
    inventory_item_id: string | null
    stock: Record<string, number>
    /** The item was created by this batch: it has no level anywhere yet (none is looked up). */
    created?: boolean
  }>
}

type Undo = {
  created: string[]
  updated: Array<{ inventory_item_id: string; location_id: string; stocked_quantity: number }>
}

type Level = { id?: string; inventory_item_id: string; location_id: string; stocked_quantity: number }

/**
 * Writes online stock as absolute quantities (never deltas): creates the inventory level
 * at a location when missing, updates it when it differs. Returns what it needs to undo.
 */
export async function writeOnlineStock(
  container: MedusaContainer,
  input: OnlineStockInput
): Promise<{ changed: number; undo: Undo }> {
  const inventory = container.resolve(Modules.INVENTORY)
  const items = input.items.filter((i): i is OnlineStockInput["items"][number] & { inventory_item_id: string } =>
    Boolean(i.inventory_item_id)
  )
  const undo: Undo = { created: [], updated: [] }
  if (!items.length) return { changed: 0, undo }

  const existing = items.filter((i) => !i.created).map((i) => i.inventory_item_id)
  const levels = existing.length ? await inventory.listInventoryLevels({ inventory_item_id: existing }) : []
  const current = new Map(levels.map((l) => [`${l.inventory_item_id}:${l.location_id}`, l]))
  const create: Level[] = []
  const update: Level[] = []
  for (const item of items) {
    for (const [location_id, qty] of Object.entries(item.stock)) {
      if (!location_id) continue
      const level = current.get(`${item.inventory_item_id}:${location_id}`)
      if (!level)
        create.push({
          id: newEntityId("ilev"),
          inventory_item_id: item.inventory_item_id,
          location_id,
          stocked_quantity: qty,
        })
      else if (Number(level.stocked_quantity) !== qty) {
        update.push({ inventory_item_id: item.inventory_item_id, location_id, stocked_quantity: qty })
        undo.updated.push({
          inventory_item_id: item.inventory_item_id,
          location_id,
          stocked_quantity: Number(level.stocked_quantity),
        })
      }
    }
  }
  if (create.length) undo.created = (await inventory.createInventoryLevels(create)).map((l) => l.id)
  if (update.length) await inventory.updateInventoryLevels(update)
  return { changed: create.length + update.length, undo }
}

/** Undoes writeOnlineStock: the previous quantities back, the levels it created deleted. */
export async function undoOnlineStock(container: MedusaContainer, undo: Undo) {
  const inventory = container.resolve(Modules.INVENTORY)
  if (undo.updated.length) await inventory.updateInventoryLevels(undo.updated)
  if (undo.created.length) await inventory.deleteInventoryLevels(undo.created)
}

/** Step form of writeOnlineStock; compensation restores the previous quantities. */
export const setOnlineStockStep = createStep(
  "set-tradegecko-online-stock",
  async (input: OnlineStockInput, { container }) => {
    const { changed, undo } = await writeOnlineStock(container, input)
    return new StepResponse({ changed }, undo)
  },
  async (undo, { container }) => {
    if (undo) await undoOnlineStock(container, undo)
  }
)
