// The resource table: every REST resource the sandbox serves, keyed by URL segment.
import type { ResourceDef } from "./define"
import { account } from "./account"
import { address } from "./address"
import { company } from "./company"
import { contact } from "./contact"
import { currency } from "./currency"
import { fulfillment, fulfillmentLineItem } from "./fulfillment"
import { fulfillmentReturn, fulfillmentReturnLineItem } from "./fulfillment-return"
import { image } from "./image"
import { invoice, invoiceLineItem, payment } from "./invoice"
import { location } from "./location"
import { order } from "./order"
import { orderLineItem } from "./order-line-item"
import { paymentMethod, paymentTerm } from "./payment-method"
import { priceList } from "./price-list"
import { product } from "./product"
import { taxComponent, taxType } from "./tax-type"
import { user } from "./user"
import { procurement, purchaseOrder, purchaseOrderLineItem } from "./purchase-order"
import { stockAdjustment, stockAdjustmentLineItem, stockTransfer, stockTransferLineItem } from "./stock-movement"
import { stockLevel, variant } from "./variant"
import { webhook } from "./webhook"

export const RESOURCES: readonly ResourceDef[] = [
  account,
  user,
  currency,
  location,
  priceList,
  taxType,
  taxComponent,
  paymentMethod,
  paymentTerm,
  company,
  address,
  contact,
  product,
  variant,
  stockLevel,
  image,
  order,
  orderLineItem,
  fulfillment,
  fulfillmentLineItem,
  fulfillmentReturn,
  fulfillmentReturnLineItem,
  invoice,
  invoiceLineItem,
  payment,
  stockAdjustment,
  stockAdjustmentLineItem,
  stockTransfer,
  stockTransferLineItem,
  purchaseOrder,
  purchaseOrderLineItem,
  procurement,
  webhook,
]

const byPlural = new Map(RESOURCES.map((d) => [d.plural, d]))

export function resource(plural: string): ResourceDef | undefined {
  return byPlural.get(plural)
}

/** First id per table (distinct ranges make id mix-ups visible). */
export const ID_BASES: Record<string, number> = Object.fromEntries(
  RESOURCES.filter((d) => d.idBase).map((d) => [d.plural, d.idBase as number])
)
