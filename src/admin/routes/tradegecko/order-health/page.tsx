import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Table, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { Link } from "react-router-dom"
import { PushStatusBadge } from "../../../components/push-status-badge"
import { age, formatDate } from "../../../lib/format"
import { errorText, tradegecko } from "../../../lib/sdk"
import type { OrderPush } from "../../../lib/types"

const FILTERS = ["problems", "failed", "pending", "pushed", "all"] as const
type Filter = (typeof FILTERS)[number]

async function loadPushes(filter: Filter): Promise<OrderPush[]> {
  const statuses = filter === "problems" ? ["failed", "pending", "pushing"] : filter === "all" ? [null] : [filter]
  const pages = await Promise.all(
    statuses.map((status) => tradegecko<{ orders: OrderPush[] }>("/orders", { query: { limit: 200, ...(status ? { status } : {}) } }))
  )
  return pages.flatMap((p) => p.orders).sort((a, b) => a.created_at.localeCompare(b.created_at))
}

/** Orders that did not reach TradeGecko (yet): reason, age, attempts; retry one or all. */
const OrderHealthPage = () => {
  const queryClient = useQueryClient()
  const [filter, setFilter] = useState<Filter>("problems")
  const { data, isLoading, error } = useQuery({
    queryKey: ["tradegecko", "order-health", filter],
    queryFn: () => loadPushes(filter),
    refetchInterval: 10_000,
  })
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["tradegecko"] })
  const retryOne = useMutation({
    mutationFn: (orderId: string) => tradegecko<{ order: OrderPush }>(`/orders/${orderId}/retry`, { method: "POST" }),
    onSuccess: async ({ order }) => {
      if (order?.status === "pushed") toast.success(`Order ${order.reference} pushed`, { description: `TradeGecko ${order.tradegecko_order_number ?? ""}` })
      else toast.error(`Order ${order?.reference ?? ""} failed again`, { description: order?.last_error ?? undefined })
      await refresh()
    },
    onError: (e) => toast.error("Retry failed", { description: errorText(e) }),
  })
  const retryAll = useMutation({
    mutationFn: () => tradegecko<{ retried: number; pushed: number; failed: number }>("/orders/retry", { method: "POST", body: { include_pending: true } }),
    onSuccess: async (r) => {
      const text = `${r.pushed} pushed, ${r.failed} still failing (of ${r.retried})`
      if (r.failed) toast.warning("Retry all", { description: text })
      else toast.success("Retry all", { description: text })
      await refresh()
    },
    onError: (e) => toast.error("Retry all failed", { description: errorText(e) }),
  })
  const rows = data ?? []
  const retryable = rows.filter((o) => o.status === "failed" || o.status === "pending")
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-order-health">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">TradeGecko order health</Heading>
          <Text size="small" className="text-ui-fg-subtle">Failed pushes are retried automatically (30 s doubling to 1 h); retry now once the cause is fixed.</Text>
        </div>
        <Button size="small" isLoading={retryAll.isPending} disabled={retryable.length === 0} onClick={() => retryAll.mutate()}>Retry all</Button>
      </div>
      <div className="flex gap-x-1 px-6 py-3">
        {FILTERS.map((f) => (
          <Button key={f} size="small" variant={filter === f ? "primary" : "transparent"} onClick={() => setFilter(f)}>{f === "problems" ? "failed + pending" : f}</Button>
        ))}
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="px-6 py-4 text-ui-fg-error">{errorText(error)}</Text>}
      {data && rows.length === 0 && (
        <Text className="px-6 py-4 text-ui-fg-subtle" data-testid="tradegecko-order-health-empty">
          {filter === "problems" ? "Every order reached TradeGecko." : "No orders."}
        </Text>
      )}
      {rows.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Order</Table.HeaderCell>
              <Table.HeaderCell>State</Table.HeaderCell>
              <Table.HeaderCell>Reason</Table.HeaderCell>
              <Table.HeaderCell>Age</Table.HeaderCell>
              <Table.HeaderCell>Attempts</Table.HeaderCell>
              <Table.HeaderCell>Next attempt</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((o) => (
              <Table.Row key={o.order_id} data-testid={`tradegecko-order-row-${o.order_id}`}>
                <Table.Cell><Link className="text-ui-fg-interactive" to={`/orders/${o.order_id}`}>{o.reference}</Link></Table.Cell>
                <Table.Cell><PushStatusBadge status={o.status} /></Table.Cell>
                <Table.Cell className="max-w-md whitespace-normal">
                  {o.status === "pushed" ? `TradeGecko ${o.tradegecko_order_number ?? ""}` : o.last_error ?? (o.status === "pending" ? "waiting for its first attempt" : "—")}
                </Table.Cell>
                <Table.Cell>{age(o.created_at)}</Table.Cell>
                <Table.Cell>{o.attempts}</Table.Cell>
                <Table.Cell>{o.status === "failed" ? formatDate(o.next_attempt_at) : "—"}</Table.Cell>
                <Table.Cell>
                  {(o.status === "failed" || o.status === "pending") && (
                    <Button size="small" variant="secondary" isLoading={retryOne.isPending && retryOne.variables === o.order_id} onClick={() => retryOne.mutate(o.order_id)}>
                      Retry
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Order health",
})

export default OrderHealthPage
