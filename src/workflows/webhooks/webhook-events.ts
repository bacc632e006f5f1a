/**
 * What a TradeGecko webhook event means for the catalog: which records to re-read.
 * Events that are neither catalog nor order events are acknowledged and nothing is written (see the receiver).
 */
export function catalogScopeForEvent(event: string, objectId: number): { product_ids?: number[]; variant_ids?: number[] } | null {
  switch (event) {
    case "product.create":
    case "product.destroy":
      return { product_ids: [objectId] }
    case "variant.create":
    case "variant.stock_level_update":
      return { variant_ids: [objectId] }
    default:
      return null
  }
}
