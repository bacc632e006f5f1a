import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { PushStatusBadge } from "../components/push-status-badge"
import { age, formatDate } from "../lib/format"
import { errorText, tradegecko } from "../lib/sdk"
import type { OrderPush } from "../lib/types"

/** Order page: where this order stands in TradeGecko, and Retry when the push failed. */
const TradegeckoOrderWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const key = ["tradegecko", "order", order.id]
  const { data, isLoading, error } = useQuery({
    queryKey: key,
    queryFn: () => tradegecko<{ order: OrderPush | null; order_sync_level: string }>(`/orders/${order.id}`),
  })
  const retry = useMutation({
    mutationFn: () => tradegecko<{ order: OrderPush }>(`/orders/${order.id}/retry`, { method: "POST" }),
    onSuccess: async ({ order: push }) => {
      if (push?.status === "pushed")
        toast.success("Order pushed to TradeGecko", { description: push.tradegecko_order_number ?? undefined })
      else toast.error("The push failed again", { description: push?.last_error ?? undefined })
      await queryClient.invalidateQueries({ queryKey: ["tradegecko"] })
    },
    onError: (e) => toast.error("Retry failed", { description: errorText(e) }),
  })
  const push = data?.order
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-order-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">TradeGecko</Heading>
        {push && <PushStatusBadge status={push.status} />}
      </div>
      {isLoading && <Text className="px-6 py-4 text-ui-fg-subtle">Loading…</Text>}
      {error && <Text className="px-6 py-4 text-ui-fg-error">Could not load the push state: {errorText(error)}</Text>}
      {data && !push && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          {data.order_sync_level === "off" ? "Order sync is off: orders are not pushed." : "Not pushed yet."}
        </Text>
      )}
      {push && (
        <div className="grid grid-cols-2 gap-y-2 px-6 py-4">
          <Text size="small" weight="plus">
            Order number
          </Text>
          <Text size="small" data-testid="tradegecko-order-number">
            {push.tradegecko_order_number ?? "—"}
          </Text>
          <Text size="small" weight="plus">
            TradeGecko status
          </Text>
          <Text size="small">{push.tradegecko_status ?? "—"}</Text>
          <Text size="small" weight="plus">
            Attempts
          </Text>
          <Text size="small">{push.attempts}</Text>
          {push.pushed_at && (
            <>
              <Text size="small" weight="plus">
                Pushed
              </Text>
              <Text size="small">{formatDate(push.pushed_at)}</Text>
            </>
          )}
          {push.review_reason && (
            <>
              <Text size="small" weight="plus">
                Draft for review
              </Text>
              <Text size="small">{push.review_reason}</Text>
            </>
          )}
        </div>
      )}
      {push?.status === "failed" && (
        <div className="flex flex-col gap-y-2 px-6 py-4">
          <Text size="small" className="text-ui-fg-error" data-testid="tradegecko-push-error">
            {push.last_error}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            Failing for {age(push.created_at)}; next automatic attempt {formatDate(push.next_attempt_at)}.
          </Text>
          <Button size="small" variant="secondary" isLoading={retry.isPending} onClick={() => retry.mutate()}>
            Retry
          </Button>
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default TradegeckoOrderWidget
