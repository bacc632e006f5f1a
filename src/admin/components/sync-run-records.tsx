import { Badge, Button, Input, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { Link } from "react-router-dom"
import { countsText, formatDate, kindLabel, triggerLabel } from "../lib/format"
import { errorText, tradegecko } from "../lib/sdk"
import type { SyncRun, SyncRunItem } from "../lib/types"

const OUTCOMES = ["all", "created", "updated", "unchanged", "skipped", "failed"] as const
const OUTCOME_COLOR = {
  failed: "red",
  skipped: "orange",
  unchanged: "grey",
  created: "green",
  updated: "green",
} as const

/** What a record's change keys say when the server sent no words (older answers). */
function changeList(i: SyncRunItem): string {
  if (i.change_text !== undefined) return i.change_text ?? ""
  const keys = Array.isArray(i.changes) ? i.changes : (i.changes?.changes ?? [])
  return keys.join(", ")
}

/**
 * One run's per-record outcomes: what changed in words, stock from → to per variant and
 * location, the reason of each skip or failure; filtered by outcome and by text.
 */
export const SyncRunRecords = ({ runId, run }: { runId: string; run?: SyncRun }) => {
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>("all")
  const [search, setSearch] = useState("")
  const detail = useQuery({
    queryKey: ["tradegecko", "sync-run-items", runId, outcome],
    queryFn: () =>
      tradegecko<{ sync_run: SyncRun & { items: SyncRunItem[]; scope?: unknown; since?: string | null } }>(
        `/sync-runs/${runId}`,
        { query: outcome === "all" ? {} : { outcome } }
      ),
  })
  const r = detail.data?.sync_run ?? run
  const items = detail.data?.sync_run.items ?? []
  const needle = search.trim().toLowerCase()
  const shown = needle
    ? items.filter((i) =>
        [
          String(i.tradegecko_id),
          i.medusa_id ?? "",
          changeList(i),
          i.message ?? "",
          ...(i.stock_changes ?? []).map((s) => `${s.variant ?? ""} ${s.location ?? ""} ${s.tradegecko_variant_id}`),
        ]
          .join(" ")
          .toLowerCase()
          .includes(needle)
      )
    : items
  const catalogLike = r ? r.kind === "catalog" || r.kind === "product" : true
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="tradegecko-sync-run-items">
      {r && (
        <div className="flex flex-col gap-y-1" data-testid="tradegecko-sync-run-summary">
          <Text size="small" weight="plus">
            {kindLabel(r.kind)}
            {r.dry_run ? " (dry run: nothing was written)" : ""}, {triggerLabel(r.trigger)}, {r.status}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            Started {formatDate(r.started_at)}
            {r.finished_at ? `, finished ${formatDate(r.finished_at)}` : ""}. {r.counts ? countsText(r.counts) : ""}
          </Text>
          {r.error && (
            <Text size="small" className="text-ui-fg-error" data-testid="tradegecko-sync-run-error">
              {r.error}
            </Text>
          )}
        </div>
      )}
      {detail.error && (
        <Text size="small" className="text-ui-fg-error">
          {errorText(detail.error)}
        </Text>
      )}
      {catalogLike && (
        <>
          <div className="flex items-center justify-between gap-x-2">
            <Input
              size="small"
              type="search"
              placeholder="Filter by id, SKU, text"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className="max-w-[240px]"
            />
            <div className="flex gap-x-1" data-testid="tradegecko-outcome-filter">
              {OUTCOMES.map((o) => (
                <Button
                  key={o}
                  size="small"
                  variant={outcome === o ? "primary" : "transparent"}
                  onClick={() => setOutcome(o)}
                >
                  {o}
                </Button>
              ))}
            </div>
          </div>
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>TradeGecko</Table.HeaderCell>
                <Table.HeaderCell>Outcome</Table.HeaderCell>
                <Table.HeaderCell>Medusa</Table.HeaderCell>
                <Table.HeaderCell>What changed</Table.HeaderCell>
                <Table.HeaderCell>Stock</Table.HeaderCell>
                <Table.HeaderCell>Reason</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {shown.map((i) => (
                <Table.Row key={i.id} data-testid={`tradegecko-record-${i.tradegecko_id}`}>
                  <Table.Cell>
                    {i.record_type} {i.tradegecko_id}
                  </Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={OUTCOME_COLOR[i.outcome] ?? "grey"}>
                      {i.outcome}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell>
                    {i.medusa_id && i.record_type === "product" ? (
                      <Link className="text-ui-fg-interactive" to={`/products/${i.medusa_id}`}>
                        {i.medusa_id}
                      </Link>
                    ) : (
                      (i.medusa_id ?? "—")
                    )}
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal">{changeList(i) || "—"}</Table.Cell>
                  <Table.Cell className="whitespace-normal" data-testid="tradegecko-record-stock">
                    {(i.stock_changes ?? []).length
                      ? (i.stock_changes ?? []).map((s) => (
                          <div key={`${s.tradegecko_variant_id}-${s.location_id}`}>
                            {s.variant ?? `variant ${s.tradegecko_variant_id}`}
                            {s.location ? ` at ${s.location}` : ""}: {s.from ?? "none"} → {s.to}
                          </div>
                        ))
                      : "—"}
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal">
                    {i.outcome === "skipped" || i.outcome === "failed" ? (
                      (i.message ?? "—")
                    ) : i.message ? (
                      <span className="text-ui-fg-subtle">{i.message}</span>
                    ) : (
                      ""
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
          {detail.data && shown.length === 0 && (
            <Text size="small" className="text-ui-fg-subtle">
              No records{outcome === "all" ? "" : ` with outcome ${outcome}`}
              {needle ? ` matching "${search}"` : ""}.
            </Text>
          )}
        </>
      )}
      {!catalogLike && detail.data && items.length === 0 && (
        <Text size="small" className="text-ui-fg-subtle">
          {r?.kind === "order_status"
            ? "This run reads TradeGecko's changed orders and applies them; its counts are above."
            : "This run has no per-record outcomes; its result is above."}
        </Text>
      )}
    </div>
  )
}
