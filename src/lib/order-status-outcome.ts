/** The outcome reason for an order another store on the same TradeGecko account pushed. */
export const NOT_THIS_STORE = "not an order of this store"

export interface OrderStatusOutcome {
  applied: boolean
  /** What changed in Medusa, in words. */
  changes: string[]
  reason?: string
}
