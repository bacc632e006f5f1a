// Stock per variant and location.
//
// * stock on hand is stored on the variant (`_stock`, one entry per location);
// * committed stock is derived: open quantity (ordered − shipped) of lines on
//   active/finalized orders, at the order's stock location (spec §4.1);
// * available = on hand − committed.
// * incoming is derived: lines of active purchase orders, at the PO's location.
// Stock on hand only changes through fulfilments (deduct when a fulfillment
// becomes "fulfilled" — [I] spec §4.1/§9.5), voids/returns (restock), stock
// adjustments and transfers, purchase-order receipts, variant creation
// (initial_stock_level) and the control API; PUT /variants ignores it.
//
// syncStock() runs after every mutating request for the variants the request
// may have affected: any whose on-hand or committed figures changed gets
// updated_at bumped and a variant.stock_level_update event ([I] §9.8:
// committed changes fire it too).
import type { Row, Store } from "../store"
import { isShippable, shippedQty } from "./lines"

export interface StockEntry {
  location_id: number
  stock_on_hand: number
  bin_location: string | null
  reorder_point: number | null
}

export interface LocationStock extends StockEntry {
  committed: number
  /** Open quantity on active purchase orders delivering here. */
  incoming: number
  /** Some order past draft has (or had) this variant at this location: committed is then a string, else null. */
  committedSeen: boolean
}

export const COMMITTING_STATUSES = ["active", "finalized"]

export function primaryLocationId(store: Store): number {
  const account = store.all("accounts")[0]
  return account?.primary_location_id ?? 1
}

export function stockEntries(variant: Row): StockEntry[] {
  return (variant._stock ??= [])
}

/** Committed quantity per location for one variant: open quantity on active/finalized orders. */
export function committedFor(store: Store, variant: Row, seen?: Set<number>): Map<number, number> {
  const perLoc = new Map<number, number>()
  if (variant.manage_stock === false) return perLoc
  const primary = primaryLocationId(store)
  for (const line of store.where("order_line_items", "variant_id", variant.id)) {
    if (!isShippable(line)) continue
    const order = store.get("orders", line.order_id)
    if (order && order.status !== "draft" && order.status !== "deleted") seen?.add(order.stock_location_id ?? primary)
    if (!order || !COMMITTING_STATUSES.includes(order.status)) continue
    const open = line.quantity - shippedQty(store, line.id)
    if (open <= 0) continue
    const location = order.stock_location_id ?? primary
    perLoc.set(location, (perLoc.get(location) ?? 0) + open)
  }
  return perLoc
}

export function variantStock(store: Store, variant: Row) {
  const seen = new Set<number>()
  const committed = committedFor(store, variant, seen)
  const incoming = incomingFor(store, variant)
  const locations: LocationStock[] = stockEntries(variant).map((e) => ({
    ...e,
    committed: committed.get(e.location_id) ?? 0,
    committedSeen: seen.has(e.location_id),
    incoming: incoming.get(e.location_id) ?? 0,
  }))
  for (const location_id of new Set([...committed.keys(), ...incoming.keys()])) {
    if (!locations.some((l) => l.location_id === location_id))
      locations.push({
        location_id,
        stock_on_hand: 0,
        bin_location: null,
        reorder_point: null,
        committed: committed.get(location_id) ?? 0,
        committedSeen: seen.has(location_id),
        incoming: incoming.get(location_id) ?? 0,
      })
  }
  locations.sort((a, b) => a.location_id - b.location_id)
  const onHand = locations.reduce((s, l) => s + l.stock_on_hand, 0)
  const committedTotal = locations.reduce((s, l) => s + l.committed, 0)
  const incomingTotal = locations.reduce((s, l) => s + l.incoming, 0)
  return { locations, onHand, committed: committedTotal, incoming: incomingTotal, available: onHand - committedTotal }
}

/** Incoming quantity per location: lines of active (ordered, not yet received) purchase orders. */
export function incomingFor(store: Store, variant: Row): Map<number, number> {
  const perLoc = new Map<number, number>()
  if (variant.manage_stock === false) return perLoc
  for (const line of store.where("purchase_order_line_items", "variant_id", variant.id)) {
    const po = store.get("purchase_orders", line.purchase_order_id)
    if (!po || po.status !== "active") continue
    const location = po.stock_location_id ?? primaryLocationId(store)
    perLoc.set(location, (perLoc.get(location) ?? 0) + line.quantity)
  }
  return perLoc
}

function entryFor(store: Store, variant: Row, locationId: number): StockEntry {
  const entries = stockEntries(variant)
  let entry = entries.find((e) => e.location_id === locationId)
  if (!entry) {
    entry = { location_id: locationId, stock_on_hand: 0, bin_location: null, reorder_point: null }
    entries.push(entry)
    entries.sort((a, b) => a.location_id - b.location_id)
  }
  store.markWritten(variant, false) // stock is not an indexed field
  return entry
}

export function setOnHand(store: Store, variant: Row, locationId: number, value: number): void {
  entryFor(store, variant, locationId).stock_on_hand = value
}

export function adjustOnHand(store: Store, variant: Row, locationId: number, delta: number): void {
  if (variant.manage_stock === false || delta === 0) return
  entryFor(store, variant, locationId).stock_on_hand += delta
}

/** Applies `sign` × the quantities of a fulfillment's lines to stock on hand (−1 ship, +1 restock). */
export function moveFulfillmentStock(store: Store, fulfillment: Row, sign: 1 | -1): void {
  const order = store.get("orders", fulfillment.order_id)
  const location = fulfillment.stock_location_id ?? order?.stock_location_id ?? primaryLocationId(store)
  for (const fli of store.where("fulfillment_line_items", "fulfillment_id", fulfillment.id)) {
    const line = store.get("order_line_items", fli.order_line_item_id)
    const variant = line && store.get("variants", line.variant_id)
    if (variant) adjustOnHand(store, variant, location, sign * fli.quantity)
  }
}

const snapshots = new WeakMap<Store, Map<string, string>>()

function signature(store: Store, variant: Row): string {
  return JSON.stringify(
    variantStock(store, variant).locations.map((l) => [l.location_id, l.stock_on_hand, l.committed, l.incoming])
  )
}

/** Records the current stock of every variant without raising events (after seeding/reset). */
export function resetStockSnapshot(store: Store): void {
  const snap = new Map<string, string>()
  for (const v of store.all("variants")) snap.set(String(v.id), signature(store, v))
  snapshots.set(store, snap)
}

/** Bumps updated_at and emits variant.stock_level_update for each of `variants` whose stock changed. */
export function syncStock(store: Store, variants: Iterable<Row>): void {
  let snap = snapshots.get(store)
  if (!snap) snapshots.set(store, (snap = new Map()))
  const changed: Row[] = []
  for (const v of variants) {
    const sig = signature(store, v)
    const prev = snap.get(String(v.id))
    if (prev !== undefined && prev !== sig) changed.push(v)
    snap.set(String(v.id), sig)
  }
  for (const v of changed) {
    store.touch(v)
    store.emit("variant.stock_level_update", "variants", v.id)
  }
}
