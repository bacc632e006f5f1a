import { StatusBadge } from "@medusajs/ui"

const COLORS = { pushed: "green", pending: "orange", pushing: "blue", failed: "red", skipped: "grey" } as const

/** Push state of an order towards TradeGecko. */
export const PushStatusBadge = ({ status }: { status: keyof typeof COLORS }) => (
  <StatusBadge color={COLORS[status] ?? "grey"} data-testid="tradegecko-push-status">
    {status}
  </StatusBadge>
)
