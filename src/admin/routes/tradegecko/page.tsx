import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Input, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { Link, useSearchParams } from "react-router-dom"
import { ProgressBar } from "../../components/progress-bar"
import { OptionsTable, SettingsForm } from "../../components/settings-form"
import { SyncRunRecords } from "../../components/sync-run-records"
import { changeWords, countsText, describeStockChanges, formatDate, kindLabel, triggerLabel } from "../../lib/format"
import { errorText, tradegecko } from "../../lib/sdk"
import type { DryRunAnswer, SettingsAnswer, SyncRun, SyncRunItem, SyncRunList, WebhookHealth } from "../../lib/types"

const CREDENTIAL_LABEL = { privileged_token: "Privileged token", oauth: "OAuth" } as const

const ConnectionSection = () => {
  const queryClient = useQueryClient()
  const [params, setParams] = useSearchParams()
  const [token, setToken] = useState("")
  const { data, isLoading, error } = useQuery({
    queryKey: ["tradegecko", "settings"],
    queryFn: () => tradegecko<SettingsAnswer>("/settings"),
  })
  // Back from TradeGecko's consent screen (GET /tradegecko/oauth/callback redirects here).
  useEffect(() => {
    const failed = params.get("oauth_error")
    if (params.get("connected") === "oauth") toast.success("Connected to TradeGecko with OAuth")
    if (failed) toast.error("TradeGecko connection failed", { description: failed })
    if (failed || params.get("connected")) setParams({}, { replace: true })
  }, [params, setParams])

  const refresh = () => queryClient.invalidateQueries({ queryKey: ["tradegecko"] })
  const oauth = useMutation({
    mutationFn: () => tradegecko<{ authorize_url: string }>("/connect", { method: "POST", body: { type: "oauth" } }),
    onSuccess: ({ authorize_url }) => window.location.assign(authorize_url),
    onError: (e) => toast.error("Could not start the OAuth connection", { description: errorText(e) }),
  })
  const saveToken = useMutation({
    mutationFn: () => tradegecko("/connect", { method: "POST", body: { type: "privileged_token", token } }),
    onSuccess: async () => {
      setToken("")
      toast.success("Connected to TradeGecko with a privileged token")
      await refresh()
    },
    onError: (e) => toast.error("Token not saved", { description: errorText(e) }),
  })
  const disconnect = useMutation({
    mutationFn: () => tradegecko("/disconnect", { method: "POST" }),
    onSuccess: async () => {
      toast.success("Disconnected from TradeGecko")
      await refresh()
    },
    onError: (e) => toast.error("Could not disconnect", { description: errorText(e) }),
  })

  const connection = data?.settings.connection
  const options = data?.settings.options ?? {}
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-connection">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Connection</Heading>
        {connection && (
          <StatusBadge color={connection.connected ? "green" : "red"} data-testid="tradegecko-connection-status">
            {connection.connected ? "Connected" : "Not connected"}
          </StatusBadge>
        )}
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="px-6 py-4 text-ui-fg-error">{errorText(error)}</Text>}
      {connection && (
        <div className="grid grid-cols-2 gap-y-2 px-6 py-4">
          <Text size="small" weight="plus">
            Account
          </Text>
          <Text size="small" data-testid="tradegecko-account-name">
            {connection.account?.name ?? "—"}
          </Text>
          <Text size="small" weight="plus">
            Credential
          </Text>
          <Text size="small">
            {connection.credential_type ? CREDENTIAL_LABEL[connection.credential_type] : "none"}
            {connection.source === "options"
              ? " (plugin options)"
              : connection.source === "admin"
                ? ` (connected here ${formatDate(connection.connected_at)})`
                : ""}
          </Text>
          <Text size="small" weight="plus">
            API
          </Text>
          <Text size="small">{connection.base_url}</Text>
          {connection.account_error && (
            <Text size="small" className="col-span-2 text-ui-fg-error">
              {connection.account_error}
            </Text>
          )}
        </div>
      )}
      {connection && connection.source !== "options" && (
        <div className="flex flex-col gap-y-3 px-6 py-4">
          {connection.source === "admin" ? (
            <div>
              <Button
                size="small"
                variant="danger"
                isLoading={disconnect.isPending}
                onClick={() => disconnect.mutate()}
              >
                Disconnect
              </Button>
            </div>
          ) : (
            <>
              {connection.oauth_available && (
                <div>
                  <Button size="small" isLoading={oauth.isPending} onClick={() => oauth.mutate()}>
                    Connect with TradeGecko
                  </Button>
                </div>
              )}
              <form
                className="flex items-center gap-x-2"
                onSubmit={(e) => {
                  e.preventDefault()
                  if (token.trim()) saveToken.mutate()
                }}
              >
                <Input
                  type="password"
                  size="small"
                  placeholder="or paste a privileged token"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  autoComplete="off"
                />
                <Button
                  size="small"
                  variant="secondary"
                  type="submit"
                  isLoading={saveToken.isPending}
                  disabled={!token.trim()}
                >
                  Save token
                </Button>
              </form>
            </>
          )}
        </div>
      )}
      {connection && (
        <div className="px-6 py-4">
          <Text size="small" weight="plus" className="mb-2">
            Options in force
          </Text>
          {data?.settings.options_list ? (
            <OptionsTable rows={data.settings.options_list} />
          ) : (
            <Table data-testid="tradegecko-options">
              <Table.Body>
                {Object.entries(options).map(([k, v]) => (
                  <Table.Row key={k}>
                    <Table.Cell className="w-1/3">{k}</Table.Cell>
                    <Table.Cell className="font-mono txt-compact-small">
                      {v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v)}
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
        </div>
      )}
    </Container>
  )
}

/** The run-time overrides (same query as the connection: one GET /settings). */
const SettingsSection = () => {
  const { data } = useQuery({
    queryKey: ["tradegecko", "settings"],
    queryFn: () => tradegecko<SettingsAnswer>("/settings"),
  })
  return data ? <SettingsForm settings={data.settings} /> : null
}

const WebhooksSection = () => {
  const queryClient = useQueryClient()
  const { data, error } = useQuery({
    queryKey: ["tradegecko", "webhooks"],
    queryFn: () => tradegecko<{ webhooks: WebhookHealth[]; connected?: boolean }>("/webhooks"),
  })
  const register = useMutation({
    mutationFn: () => tradegecko<{ webhooks: WebhookHealth[] }>("/webhooks", { method: "POST" }),
    onSuccess: (answer) => {
      queryClient.setQueryData(["tradegecko", "webhooks"], answer)
      toast.success("Webhook subscriptions checked")
    },
    onError: (e) => toast.error("Could not register webhooks", { description: errorText(e) }),
  })
  const hooks = data?.webhooks ?? []
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-webhooks">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Webhooks</Heading>
        <Button
          size="small"
          variant="secondary"
          isLoading={register.isPending}
          disabled={data?.connected === false}
          onClick={() => register.mutate()}
        >
          Register missing
        </Button>
      </div>
      {error && <Text className="px-6 py-4 text-ui-fg-error">{errorText(error)}</Text>}
      {data && data.connected === false && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          Not connected to TradeGecko: webhooks are checked once the store is connected.
        </Text>
      )}
      {data && data.connected !== false && hooks.length === 0 && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          No webhooks: set the webhookBaseUrl option to receive TradeGecko changes at once.
        </Text>
      )}
      {hooks.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Event</Table.HeaderCell>
              <Table.HeaderCell>Subscription</Table.HeaderCell>
              <Table.HeaderCell>Last delivery</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {hooks.map((h) => (
              <Table.Row key={h.event}>
                <Table.Cell>{h.event}</Table.Cell>
                <Table.Cell>
                  <StatusBadge color={h.registered ? "green" : "red"}>
                    {h.registered ? "registered" : "missing"}
                  </StatusBadge>
                </Table.Cell>
                <Table.Cell>
                  {h.last_delivery_at ? `${formatDate(h.last_delivery_at)} (${h.last_delivery_status})` : "none yet"}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

const DryRunTable = ({ plan }: { plan: DryRunAnswer }) => {
  const rows = [
    ...plan.creates.map((c) => ({ id: c.tradegecko_product_id, action: "create", detail: `${c.title} (${c.status})` })),
    ...plan.updates.map((u) => ({
      id: u.tradegecko_product_id,
      action: "update",
      detail: changeWords(u.changes).join(", ") || "stock",
    })),
    ...plan.skips.map((s) => ({ id: s.tradegecko_product_id, action: "skip", detail: s.reason ?? "" })),
  ]
  const stock = describeStockChanges(plan.stock_changes)
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="tradegecko-dry-run">
      <Text size="small" weight="plus">
        Dry run: {plan.creates.length} to create, {plan.updates.length} to update, {plan.hides.length} to hide,{" "}
        {plan.skips.length} skipped, {plan.stock_changes.length} stock changes. Nothing was written.
      </Text>
      {rows.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>TradeGecko product</Table.HeaderCell>
              <Table.HeaderCell>Action</Table.HeaderCell>
              <Table.HeaderCell>Details</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.slice(0, 200).map((r) => (
              <Table.Row key={`${r.action}-${r.id}`}>
                <Table.Cell>{r.id}</Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall">{r.action}</Badge>
                </Table.Cell>
                <Table.Cell>{r.detail}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {stock.length > 0 && (
        <Text size="small" className="text-ui-fg-subtle">
          {stock.slice(0, 20).join("; ")}
          {stock.length > 20 ? ` … and ${stock.length - 20} more` : ""}
        </Text>
      )}
    </div>
  )
}

const SyncSection = ({ onStarted }: { onStarted: (runId: string) => void }) => {
  const queryClient = useQueryClient()
  const [runId, setRunId] = useState<string | null>(null)
  const [plan, setPlan] = useState<DryRunAnswer | null>(null)
  const run = useQuery({
    queryKey: ["tradegecko", "sync-run", runId],
    queryFn: () =>
      tradegecko<{ sync_run: SyncRun & { items: SyncRunItem[] } }>(`/sync-runs/${runId}`, {
        query: { outcome: "failed" },
      }),
    enabled: Boolean(runId),
    refetchInterval: (q) => (q.state.data?.sync_run.status === "running" ? 1000 : false),
  })
  const current = run.data?.sync_run
  useEffect(() => {
    if (current && current.status !== "running")
      queryClient.invalidateQueries({ queryKey: ["tradegecko", "sync-runs"] })
  }, [current?.status])

  const dryRun = useMutation({
    mutationFn: () => tradegecko<DryRunAnswer>("/sync", { method: "POST", body: { dry_run: true } }),
    onSuccess: (answer) => setPlan(answer),
    onError: (e) => toast.error("Dry run failed", { description: errorText(e) }),
  })
  const syncNow = useMutation({
    mutationFn: (full: boolean) =>
      tradegecko<{ run_id: string }>("/sync", { method: "POST", body: full ? { full: true } : {} }),
    onSuccess: ({ run_id }) => {
      setPlan(null)
      setRunId(run_id)
      onStarted(run_id)
    },
    onError: (e) => toast.error("Sync not started", { description: errorText(e) }),
  })

  const done = current && current.status !== "running"
  const pct = !current ? null : done ? 100 : current.total ? (100 * current.processed) / current.total : null
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-sync">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Catalog sync</Heading>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" isLoading={dryRun.isPending} onClick={() => dryRun.mutate()}>
            Dry run
          </Button>
          <Button
            size="small"
            variant="secondary"
            isLoading={syncNow.isPending && syncNow.variables === true}
            disabled={syncNow.isPending || current?.status === "running"}
            onClick={() => syncNow.mutate(true)}
            title="Re-import every product, not only what changed since the last run"
          >
            Full sync
          </Button>
          <Button
            size="small"
            isLoading={syncNow.isPending && syncNow.variables === false}
            disabled={syncNow.isPending || current?.status === "running"}
            onClick={() => syncNow.mutate(false)}
            title="Import what changed in TradeGecko since the last run"
          >
            <ArrowPath /> Sync now
          </Button>
        </div>
      </div>
      {dryRun.isPending && (
        <div className="px-6 py-4">
          <Text size="small" className="mb-2">
            Planning against TradeGecko, writing nothing…
          </Text>
          <ProgressBar value={null} label="Dry run" />
        </div>
      )}
      {plan && <DryRunTable plan={plan} />}
      {runId && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="tradegecko-sync-progress">
          <Text size="small">
            {syncNow.variables ? "Full sync" : "Sync"} {runId}:{" "}
            {current
              ? `${current.status}, ${current.processed}${current.total ? ` of ${current.total}` : ""} products`
              : "starting"}
          </Text>
          <ProgressBar value={pct} label="Catalog sync" />
          {done && current?.counts && (
            <Text size="small" data-testid="tradegecko-sync-result">
              {current.status}: {countsText(current.counts)}
              {current.error ? ` — ${current.error}` : ""}
            </Text>
          )}
          {done &&
            (current?.items ?? []).map((i) => (
              <Text key={i.id} size="small" className="text-ui-fg-error">
                TradeGecko product {i.tradegecko_id}: {i.message}
              </Text>
            ))}
        </div>
      )}
    </Container>
  )
}

const SyncRunsSection = ({
  selected,
  onSelect,
}: {
  selected: string | null
  onSelect: (id: string | null) => void
}) => {
  const [kind, setKind] = useState<string>("all")
  const runs = useQuery({
    queryKey: ["tradegecko", "sync-runs", kind],
    queryFn: () => tradegecko<SyncRunList>("/sync-runs", { query: { limit: 20, ...(kind === "all" ? {} : { kind }) } }),
    refetchInterval: (q) => (q.state.data?.sync_runs.some((r) => r.status === "running") ? 2000 : false),
  })
  // Every kind recorded so far (the server counts them), and the one picked even when empty.
  const kinds = runs.data?.kinds ?? []
  const filters = [
    { kind: "all", count: null as number | null },
    ...kinds,
    ...(kind !== "all" && !kinds.some((k) => k.kind === kind) ? [{ kind, count: 0 }] : []),
  ]
  const run = runs.data?.sync_runs.find((r) => r.id === selected)
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-sync-runs">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Sync runs</Heading>
        <div className="flex gap-x-1" data-testid="tradegecko-run-kinds">
          {filters.map((k) => (
            <Button
              key={k.kind}
              size="small"
              variant={kind === k.kind ? "primary" : "transparent"}
              onClick={() => {
                setKind(k.kind)
                onSelect(null)
              }}
            >
              {k.kind === "all" ? "All" : `${kindLabel(k.kind)} (${k.count})`}
            </Button>
          ))}
        </div>
      </div>
      {runs.error && <Text className="px-6 py-4 text-ui-fg-error">{errorText(runs.error)}</Text>}
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Started</Table.HeaderCell>
            <Table.HeaderCell>Kind</Table.HeaderCell>
            <Table.HeaderCell>Trigger</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Outcomes</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {(runs.data?.sync_runs ?? []).map((r) => (
            <Table.Row
              key={r.id}
              data-testid={`tradegecko-run-${r.id}`}
              className={`cursor-pointer ${selected === r.id ? "bg-ui-bg-highlight" : ""}`}
              onClick={() => onSelect(selected === r.id ? null : r.id)}
            >
              <Table.Cell>{formatDate(r.started_at)}</Table.Cell>
              <Table.Cell>
                {kindLabel(r.kind)}
                {r.dry_run ? " (dry run)" : ""}
              </Table.Cell>
              <Table.Cell>{triggerLabel(r.trigger)}</Table.Cell>
              <Table.Cell>
                <StatusBadge
                  color={
                    r.status === "succeeded"
                      ? "green"
                      : r.status === "running"
                        ? "blue"
                        : r.status === "partial"
                          ? "orange"
                          : "red"
                  }
                >
                  {r.status}
                </StatusBadge>
              </Table.Cell>
              <Table.Cell>{r.counts ? countsText(r.counts) : r.error ? "see the error" : "—"}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {runs.data && runs.data.sync_runs.length === 0 && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          No runs yet.
        </Text>
      )}
      {selected && <SyncRunRecords runId={selected} run={run} />}
    </Container>
  )
}

/** Admin → TradeGecko: connection, options, webhooks, sync now / dry run, and the run history. */
const TradegeckoSettingsPage = () => {
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <div className="flex flex-col gap-y-3" data-testid="tradegecko-settings-page">
      <Container className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">TradeGecko</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Catalog and stock from TradeGecko, orders to TradeGecko.
          </Text>
        </div>
        <Link to="/tradegecko/order-health">
          <Button size="small" variant="secondary">
            Order health
          </Button>
        </Link>
      </Container>
      <ConnectionSection />
      <SettingsSection />
      <SyncSection onStarted={() => setSelected(null)} />
      <SyncRunsSection selected={selected} onSelect={setSelected} />
      <WebhooksSection />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "TradeGecko",
  icon: ArrowPath,
})

export default TradegeckoSettingsPage
