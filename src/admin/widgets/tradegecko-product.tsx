import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminProduct, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Table, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { ProgressBar } from "../components/progress-bar"
import { changeWords, describeStockChanges, formatDate } from "../lib/format"
import { errorText, tradegecko } from "../lib/sdk"
import type { ForceSyncResult, ProductLinkDetail } from "../lib/types"

const RULE_COLOR: Record<string, "green" | "orange" | "blue" | "grey" | "red"> = {
  stock: "green",
  max_online: "blue",
  keep_selling: "orange",
  not_managed: "orange",
  archived: "red",
}

/** Product page: is this product linked to TradeGecko, how fresh, its stock rules, and Force sync. */
const TradegeckoProductWidget = ({ data: product }: DetailWidgetProps<AdminProduct>) => {
  const queryClient = useQueryClient()
  const key = ["tradegecko", "product", product.id]
  const { data, isLoading, error } = useQuery({
    queryKey: key,
    queryFn: () => tradegecko<{ product: ProductLinkDetail }>(`/products/${product.id}`),
  })
  const forceSync = useMutation({
    mutationFn: () => tradegecko<ForceSyncResult>(`/products/${product.id}/sync`, { method: "POST" }),
    onSuccess: async (result) => {
      // What changed, in words ("title, price 50 → 55, stock S 18 → 7"), not the outcome key.
      const words = result.change_words ?? [
        ...changeWords(result.changes),
        ...describeStockChanges(result.stock_changes),
      ]
      if (result.outcome === "skipped")
        toast.warning("Force sync skipped", { description: result.message ?? "TradeGecko did not send this product" })
      else if (!words.length)
        toast.success("Force sync: nothing changed in TradeGecko", { description: result.message ?? undefined })
      else toast.success(`Force sync: ${words.join(", ")}`, { description: result.message ?? undefined })
      // The widget and the dashboard's own product data (stock, status) both changed.
      await queryClient.invalidateQueries()
    },
    onError: (e) => toast.error("Force sync failed", { description: errorText(e) }),
  })

  const link = data?.product
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-product-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-x-2">
          <Heading level="h2">TradeGecko</Heading>
          {link && (
            <Badge size="2xsmall" color={link.linked ? (link.archived ? "red" : "green") : "grey"}>
              {link.linked ? (link.archived ? "Archived in TradeGecko" : "Linked") : "Not linked"}
            </Badge>
          )}
        </div>
        {link?.linked && (
          <Button
            size="small"
            variant="secondary"
            isLoading={forceSync.isPending}
            disabled={forceSync.isPending}
            onClick={() => forceSync.mutate()}
          >
            Force sync
          </Button>
        )}
      </div>

      {isLoading && <Text className="px-6 py-4 text-ui-fg-subtle">Loading…</Text>}
      {error && (
        <Text className="px-6 py-4 text-ui-fg-error">Could not load the TradeGecko link: {errorText(error)}</Text>
      )}
      {forceSync.isPending && (
        <div className="px-6 py-4">
          <Text size="small" className="mb-2">
            Reading this product from TradeGecko and applying it…
          </Text>
          <ProgressBar value={null} label="Force sync" />
        </div>
      )}
      {forceSync.isError && (
        <Text className="px-6 py-4 text-ui-fg-error" data-testid="tradegecko-force-sync-error">
          Force sync failed: {errorText(forceSync.error)}
        </Text>
      )}

      {link && !link.linked && (
        <Text className="px-6 py-4 text-ui-fg-subtle">
          This product did not come from TradeGecko; the catalog sync does not touch it.
        </Text>
      )}

      {link?.linked && (
        <>
          <div className="grid grid-cols-2 gap-y-2 px-6 py-4">
            <Text size="small" weight="plus">
              TradeGecko product
            </Text>
            <Text size="small" data-testid="tradegecko-product-id">
              {link.tradegecko_url ? (
                <a className="text-ui-fg-interactive" href={link.tradegecko_url} target="_blank" rel="noreferrer">
                  {link.tradegecko_product_id}
                </a>
              ) : (
                link.tradegecko_product_id
              )}
            </Text>
            <Text size="small" weight="plus">
              Last synced
            </Text>
            <Text size="small" data-testid="tradegecko-last-synced">
              {formatDate(link.last_synced_at)}
            </Text>
            {link.last_outcome && (
              <>
                <Text size="small" weight="plus">
                  Last outcome
                </Text>
                <Text size="small">
                  {link.last_outcome.outcome}
                  {link.last_outcome.message ? `: ${link.last_outcome.message}` : ""}
                </Text>
              </>
            )}
            {link.hidden_by_sync && (
              <>
                <Text size="small" weight="plus">
                  Visibility
                </Text>
                <Text size="small">Hidden by the sync: nothing to sell</Text>
              </>
            )}
          </div>
          {(link.warnings ?? []).map((w) => (
            <Text key={w} size="small" className="px-6 py-2 text-ui-fg-error" data-testid="tradegecko-warning">
              ⚠ {w}
            </Text>
          ))}
          {link.tradegecko_error && (
            <Text size="small" className="px-6 py-2 text-ui-fg-muted">
              {link.tradegecko_error}
            </Text>
          )}
          <Table data-testid="tradegecko-stock-table">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Variant</Table.HeaderCell>
                <Table.HeaderCell>Location</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Stock</Table.HeaderCell>
                <Table.HeaderCell>Rule</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {(link.variants ?? []).map((v) => (
                <Table.Row
                  key={v.variant_id}
                  data-testid={`tradegecko-variant-${v.tradegecko_variant_id ?? v.variant_id}`}
                >
                  <Table.Cell>
                    <div className="flex flex-col">
                      <span>{v.title}</span>
                      <span className="text-ui-fg-subtle txt-compact-xsmall">
                        {v.sku ?? "no SKU"}
                        {v.tradegecko_variant_id ? ` · TG ${v.tradegecko_variant_id}` : ""}
                      </span>
                    </div>
                  </Table.Cell>
                  <Table.Cell>{v.locations.map((l) => l.location_name).join(", ") || "—"}</Table.Cell>
                  <Table.Cell className="text-right" data-testid="tradegecko-stock">
                    {v.locations.length > 1
                      ? v.locations.map((l) => `${l.location_name}: ${l.stocked_quantity}`).join(", ")
                      : v.online_stock}
                  </Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={RULE_COLOR[v.rule.kind] ?? "grey"}>
                      {v.rule.text}
                    </Badge>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product.details.after",
})

export default TradegeckoProductWidget
