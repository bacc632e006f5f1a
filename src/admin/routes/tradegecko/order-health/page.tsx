import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { Link } from "react-router-dom"
import { PushStatusBadge } from "../../../components/push-status-badge"
import { age, formatDate } from "../../../lib/format"
import { errorText, tradegecko } from "../../../lib/sdk"
import type { OrderPush, StatusChange } from "../../../lib/types"

const FILTERS = ["problems", "failed", "pending", "pushed", "all"] as const
type Filter = (typeof FILTERS)[number]

async function loadPushes(filter: Filter): Promise<OrderPush[]> {
  const statuses = filter === "problems" ? ["failed", "pending", "pushing"] : filter === "all" ? [null] : [filter]
  const pages = await Promise.all(
    statuses.map((status) =>
      tradegecko<{ orders: OrderPush[] }>("/orders", { query: { limit: 200, ...(status ? { status } : {}) } })
    )
  )
  return pages.flatMap((p) => p.orders).sort((a, b) => a.created_at.localeCompare(b.created_at))
}

const CHANGE_COLORS = {
  pending: "orange",
  failed: "red",
  attention: "orange",
  sent: "green",
  dismissed: "grey",
} as const
const PROBLEM_PUSHES = new Set(["failed", "pending", "pushing"])

/** What the change is, in words. */
function describeChange(c: StatusChange) {
  if (c.kind === "action") {
    if (c.direction === "to_tradegecko")
      return c.action === "pay" ? "Paid in Medusa → pay in TradeGecko" : "Canceled in Medusa → void in TradeGecko"
    return c.action === "void" ? "Voided in TradeGecko → needs a person" : `${c.action} from TradeGecko`
  }
  return c.event === "order.reconcile"
    ? `TradeGecko order ${c.tradegecko_object_id} (reconciliation)`
    : `Webhook ${c.event} (${c.tradegecko_object_id})`
}

/** Status changes either way that are not done: retry (now) or dismiss each. */
const StatusChangesSection = () => {
  const queryClient = useQueryClient()
  const { data, error } = useQuery({
    queryKey: ["tradegecko", "order-health", "status-changes"],
    queryFn: () =>
      tradegecko<{ status_changes: StatusChange[] }>("/orders/status-changes", { query: { status: "open" } }),
    refetchInterval: 10_000,
  })
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["tradegecko"] })
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: "retry" | "dismiss" }) =>
      tradegecko<{ status_change: StatusChange }>(`/orders/status-changes/${id}/${what}`, { method: "POST" }),
    onSuccess: async ({ status_change: c }, { what }) => {
      if (what === "dismiss") toast.success("Dismissed", { description: describeChange(c) })
      else if (c.status === "failed") toast.error("Failed again", { description: c.last_error ?? undefined })
      else toast.success("Done", { description: describeChange(c) })
      await refresh()
    },
    onError: (e) => toast.error("Could not do that", { description: errorText(e) }),
  })
  const rows = data?.status_changes ?? []
  return (
    <div data-testid="tradegecko-status-changes">
      <div className="px-6 py-4">
        <Heading level="h2">Status changes</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Captures and cancels on their way to TradeGecko, and TradeGecko changes Medusa could not apply, are retried
          automatically (30 s doubling to 1 h) until done or dismissed.
        </Text>
      </div>
      {error && <Text className="px-6 py-4 text-ui-fg-error">{errorText(error)}</Text>}
      {data && rows.length === 0 && (
        <Text className="px-6 py-4 text-ui-fg-subtle" data-testid="tradegecko-status-changes-empty">
          Every status change is through.
        </Text>
      )}
      {rows.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Order</Table.HeaderCell>
              <Table.HeaderCell>Change</Table.HeaderCell>
              <Table.HeaderCell>State</Table.HeaderCell>
              <Table.HeaderCell>Reason</Table.HeaderCell>
              <Table.HeaderCell>Attempts</Table.HeaderCell>
              <Table.HeaderCell>Next attempt</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((c) => (
              <Table.Row key={c.id} data-testid={`tradegecko-status-change-${c.id}`}>
                <Table.Cell>
                  {c.order_id ? (
                    <Link className="text-ui-fg-interactive" to={`/orders/${c.order_id}`}>
                      {c.reference ?? c.order_id}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Table.Cell>
                <Table.Cell>{describeChange(c)}</Table.Cell>
                <Table.Cell>
                  <StatusBadge color={CHANGE_COLORS[c.status as keyof typeof CHANGE_COLORS] ?? "grey"}>
                    {c.status}
                  </StatusBadge>
                </Table.Cell>
                <Table.Cell className="max-w-md whitespace-normal">{c.last_error ?? "—"}</Table.Cell>
                <Table.Cell>{c.attempts}</Table.Cell>
                <Table.Cell>{c.status === "failed" ? formatDate(c.next_attempt_at) : "—"}</Table.Cell>
                <Table.Cell>
                  <div className="flex gap-x-1">
                    {(c.status === "failed" || (c.status === "pending" && c.direction === "to_tradegecko")) && (
                      <Button
                        size="small"
                        variant="secondary"
                        isLoading={act.isPending && act.variables?.id === c.id && act.variables.what === "retry"}
                        onClick={() => act.mutate({ id: c.id, what: "retry" })}
                      >
                        Retry
                      </Button>
                    )}
                    <Button
                      size="small"
                      variant="transparent"
                      isLoading={act.isPending && act.variables?.id === c.id && act.variables.what === "dismiss"}
                      onClick={() => act.mutate({ id: c.id, what: "dismiss" })}
                    >
                      Dismiss
                    </Button>
                  </div>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </div>
  )
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
      if (order?.status === "pushed")
        toast.success(`Order ${order.reference} pushed`, {
          description: `TradeGecko ${order.tradegecko_order_number ?? ""}`,
        })
      else toast.error(`Order ${order?.reference ?? ""} failed again`, { description: order?.last_error ?? undefined })
      await refresh()
    },
    onError: (e) => toast.error("Retry failed", { description: errorText(e) }),
  })
  const retryAll = useMutation({
    mutationFn: () =>
      tradegecko<{ retried: number; pushed: number; failed: number }>("/orders/retry", {
        method: "POST",
        body: { include_pending: true },
      }),
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
          <Text size="small" className="text-ui-fg-subtle">
            Failed pushes are retried automatically (30 s doubling to 1 h); retry now once the cause is fixed.
          </Text>
        </div>
        <Button
          size="small"
          isLoading={retryAll.isPending}
          disabled={retryable.length === 0}
          onClick={() => retryAll.mutate()}
        >
          Retry all
        </Button>
      </div>
      <div className="flex gap-x-1 px-6 py-3">
        {FILTERS.map((f) => (
          <Button key={f} size="small" variant={filter === f ? "primary" : "transparent"} onClick={() => setFilter(f)}>
            {f === "problems" ? "failed + pending" : f}
          </Button>
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
              <Table.HeaderCell>TradeGecko</Table.HeaderCell>
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
                <Table.Cell>
                  <Link className="text-ui-fg-interactive" to={`/orders/${o.order_id}`}>
                    {o.reference}
                  </Link>
                </Table.Cell>
                <Table.Cell>
                  <PushStatusBadge status={o.status} />
                </Table.Cell>
                <Table.Cell>{o.tradegecko_order_number ?? "—"}</Table.Cell>
                {/* a reason only for problems (failed, waiting, in flight); a pushed or skipped order has none */}
                <Table.Cell className="max-w-md whitespace-normal" data-testid="tradegecko-order-reason">
                  {PROBLEM_PUSHES.has(o.status)
                    ? (o.last_error ?? (o.status === "pending" ? "waiting for its first attempt" : "being pushed"))
                    : "—"}
                </Table.Cell>
                <Table.Cell>{age(o.created_at)}</Table.Cell>
                <Table.Cell>{o.attempts}</Table.Cell>
                <Table.Cell>{o.status === "failed" ? formatDate(o.next_attempt_at) : "—"}</Table.Cell>
                <Table.Cell>
                  {(o.status === "failed" || o.status === "pending") && (
                    <Button
                      size="small"
                      variant="secondary"
                      isLoading={retryOne.isPending && retryOne.variables === o.order_id}
                      onClick={() => retryOne.mutate(o.order_id)}
                    >
                      Retry
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <StatusChangesSection />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Order health",
})

export default OrderHealthPage
