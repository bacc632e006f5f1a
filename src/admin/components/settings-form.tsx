import { Badge, Button, Container, Heading, Input, Table, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useEffect, useMemo, useState } from "react"
import { errorText, tradegecko } from "../lib/sdk"
import type { OptionRow, SettingField, SettingsAnswer, SettingsChoices } from "../lib/types"

const SELECT_CLASS =
  "bg-ui-bg-field shadow-buttons-neutral txt-compact-small rounded-md px-2 py-1.5 text-ui-fg-base outline-none focus:shadow-borders-interactive-with-active w-full"

/** A value as the form's inputs hold it (strings), and back. */
function toDraft(field: SettingField): string {
  const v = field.value
  if (v === null || v === undefined) return ""
  if (field.input === "location_map" || field.input === "currency_map" || field.input === "json")
    return JSON.stringify(v)
  if (field.input === "date") return String(v).slice(0, 10)
  return String(v)
}

function fromDraft(field: SettingField, draft: string): unknown {
  if (draft.trim() === "") return null
  switch (field.input) {
    case "number":
      return Number.isFinite(Number(draft)) ? Number(draft) : draft
    case "boolean":
      return draft === "true" ? true : draft === "false" ? false : draft
    case "location_map":
    case "currency_map":
    case "json":
      try {
        return JSON.parse(draft)
      } catch {
        return draft // the server names the field and why
      }
    default:
      return draft
  }
}

/** A value in words for the source line and toasts. */
export function valueText(
  field: Pick<SettingField, "input" | "choices" | "unit">,
  value: unknown,
  choices?: SettingsChoices
): string {
  if (value === null || value === undefined || value === "") return "not set"
  if (field.input === "boolean") return value === true || value === "true" ? "on" : "off"
  if (field.choices) return field.choices.find((c) => c.value === String(value))?.label ?? String(value)
  if (field.input === "stock_location")
    return choices?.stock_locations.find((l) => l.id === value)?.name ?? String(value)
  if (field.input === "sales_channel") return choices?.sales_channels.find((c) => c.id === value)?.name ?? String(value)
  if (field.input === "price_list")
    return choices?.price_lists.find((l) => l.id === String(value))?.name ?? String(value)
  if (field.input === "location_map" && typeof value === "object") {
    const entries = Object.entries(value as Record<string, string>)
    if (!entries.length) return "none"
    return entries
      .map(
        ([tg, id]) =>
          `${choices?.tradegecko_locations.find((l) => l.id === tg)?.name ?? `TradeGecko ${tg}`} → ${choices?.stock_locations.find((l) => l.id === id)?.name ?? id}`
      )
      .join(", ")
  }
  if (typeof value === "object") return JSON.stringify(value)
  return `${value}${field.unit ? ` ${field.unit}` : ""}`
}

const SOURCE: Record<OptionRow["source"], { text: string; color: "blue" | "grey" | "orange" | "green" }> = {
  override: { text: "Overridden here", color: "orange" },
  option: { text: "Plugin option", color: "blue" },
  default: { text: "Default", color: "grey" },
  unset: { text: "Not set", color: "grey" },
}

export const SourceBadge = ({ source }: { source: OptionRow["source"] }) => (
  <Badge size="2xsmall" color={SOURCE[source].color} data-testid="tradegecko-setting-source">
    {SOURCE[source].text}
  </Badge>
)

/** The input of one field, drawn from its type and the server's choices. */
const FieldInput = ({
  field,
  value,
  onChange,
  choices,
}: {
  field: SettingField
  value: string
  onChange: (v: string) => void
  choices?: SettingsChoices
}) => {
  const name = `setting-${field.key}`
  const select = (options: Array<{ value: string; label: string }>, empty: string) => (
    <select
      className={SELECT_CLASS}
      name={name}
      aria-label={field.label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{empty}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {value && !options.some((o) => o.value === value) && <option value={value}>{value}</option>}
    </select>
  )
  switch (field.input) {
    case "select":
      return select(field.choices ?? [], "— the plugin option —")
    case "boolean":
      return select(
        [
          { value: "true", label: "On" },
          { value: "false", label: "Off" },
        ],
        "— the plugin option —"
      )
    case "stock_location":
      return select(
        (choices?.stock_locations ?? []).map((l) => ({ value: l.id, label: l.name })),
        "— the plugin option —"
      )
    case "sales_channel":
      return select(
        (choices?.sales_channels ?? []).map((c) => ({ value: c.id, label: c.name })),
        "— the plugin option —"
      )
    case "price_list":
      return select(
        (choices?.price_lists ?? []).map((l) => ({
          value: l.id,
          label: `${l.name}${l.currency ? ` (${l.currency})` : ""}`,
        })),
        "— the plugin option —"
      )
    case "location_map": {
      const map: Record<string, string> = (() => {
        try {
          return value ? JSON.parse(value) : {}
        } catch {
          return {}
        }
      })()
      const tgLocations = choices?.tradegecko_locations.length
        ? choices.tradegecko_locations
        : Object.keys(map).map((id) => ({ id, name: `TradeGecko location ${id}` }))
      if (!tgLocations.length)
        return (
          <Text size="small" className="text-ui-fg-subtle">
            No TradeGecko locations to map (not connected).
          </Text>
        )
      return (
        <div className="flex flex-col gap-y-1" data-testid={`${name}-rows`}>
          {tgLocations.map((l) => (
            <div key={l.id} className="grid grid-cols-2 items-center gap-x-2">
              <Text size="small">{l.name}</Text>
              <select
                className={SELECT_CLASS}
                aria-label={`${field.label}: ${l.name}`}
                value={map[l.id] ?? ""}
                onChange={(e) => {
                  const next = { ...map }
                  if (e.target.value) next[l.id] = e.target.value
                  else delete next[l.id]
                  onChange(JSON.stringify(next))
                }}
              >
                <option value="">— the default stock location —</option>
                {(choices?.stock_locations ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      )
    }
    case "currency_map":
    case "json":
      return (
        <Textarea
          name={name}
          aria-label={field.label}
          rows={2}
          className="font-mono"
          placeholder={field.input === "currency_map" ? '{"usd": "retail"}' : ""}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    case "number":
      return (
        <Input
          size="small"
          name={name}
          aria-label={field.label}
          inputMode="decimal"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    case "date":
      return (
        <Input
          size="small"
          type="date"
          name={name}
          aria-label={field.label}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    default:
      return (
        <Input
          size="small"
          name={name}
          aria-label={field.label}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )
  }
}

/**
 * The run-time overrides as a form. Fields come from the server (GET /settings `fields`):
 * each shows where its value comes from, saving sends only what changed, "Use the option"
 * removes an override. The server validates with the options' own rules and names the
 * field of a bad value; nothing is saved then.
 */
export const SettingsForm = ({ settings }: { settings: SettingsAnswer["settings"] }) => {
  const queryClient = useQueryClient()
  const fields = settings.fields ?? []
  const initial = useMemo(() => Object.fromEntries(fields.map((f) => [f.key, toDraft(f)])), [settings])
  const [draft, setDraft] = useState<Record<string, string>>(initial)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => setDraft(initial), [initial])

  const changed = fields.filter((f) => (draft[f.key] ?? "") !== (initial[f.key] ?? ""))
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => tradegecko<SettingsAnswer>("/settings", { method: "POST", body }),
    onSuccess: (answer, body) => {
      setProblem(null)
      const byKey = new Map((answer.settings.fields ?? []).map((f) => [f.key, f]))
      const lines = Object.keys(body).map((key) => {
        const before = fields.find((f) => f.key === key)!
        const after = byKey.get(key) ?? before
        return body[key] === null
          ? `${before.label}: back to the option (${valueText(after, after.value, answer.settings.choices)})`
          : `${before.label} ${valueText(before, before.value, settings.choices)} → ${valueText(after, after.value, answer.settings.choices)}`
      })
      toast.success("Settings saved", { description: lines.join("; ") })
      queryClient.setQueryData(["tradegecko", "settings"], answer)
    },
    onError: (e) => {
      setProblem(errorText(e))
      toast.error("Settings not saved", { description: errorText(e) })
    },
  })
  const submit = () => save.mutate(Object.fromEntries(changed.map((f) => [f.key, fromDraft(f, draft[f.key] ?? "")])))
  const badField = (key: string) => Boolean(problem && new RegExp(`\\b${key}\\b`).test(problem))

  if (!fields.length) return null
  return (
    <Container className="divide-y p-0" data-testid="tradegecko-settings-form">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h2">Settings</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Change these here without a restart; "Use the option" returns to the plugin option.
          </Text>
        </div>
        <div className="flex gap-x-2">
          <Button
            size="small"
            variant="secondary"
            disabled={!changed.length || save.isPending}
            onClick={() => {
              setDraft(initial)
              setProblem(null)
            }}
          >
            Cancel
          </Button>
          <Button size="small" isLoading={save.isPending} disabled={!changed.length} onClick={submit}>
            Save settings
          </Button>
        </div>
      </div>
      {settings.choices?.tradegecko_error && (
        <Text size="small" className="px-6 py-2 text-ui-fg-muted">
          {settings.choices.tradegecko_error}
        </Text>
      )}
      {problem && (
        <Text size="small" className="px-6 py-3 text-ui-fg-error" data-testid="tradegecko-settings-error">
          {problem}
        </Text>
      )}
      {fields.map((f) => (
        <div
          key={f.key}
          className="grid grid-cols-[2fr_3fr] gap-x-6 px-6 py-3"
          data-testid={`tradegecko-setting-${f.key}`}
        >
          <div className="flex flex-col gap-y-1">
            <Text size="small" weight="plus">
              {f.label}
            </Text>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {f.help}
            </Text>
          </div>
          <div
            className={`flex flex-col gap-y-1 ${badField(f.key) ? "rounded-md outline outline-1 outline-ui-border-error p-1" : ""}`}
          >
            <FieldInput
              field={f}
              value={draft[f.key] ?? ""}
              onChange={(v) => setDraft((d) => ({ ...d, [f.key]: v }))}
              choices={settings.choices}
            />
            <div className="flex items-center gap-x-2">
              <SourceBadge source={f.source} />
              <Text size="xsmall" className="text-ui-fg-subtle" data-testid="tradegecko-setting-origin">
                {f.source === "override"
                  ? `plugin option: ${valueText(f, f.option_value, settings.choices)}${f.option_value === null || f.option_value === undefined ? (f.explained ? ` (${f.explained})` : "") : ""}`
                  : f.source === "unset"
                    ? (f.explained ?? "not set")
                    : f.source === "default"
                      ? "the plugin's default"
                      : "set in medusa-config"}
              </Text>
              {f.source === "override" && (
                <Button
                  size="small"
                  variant="transparent"
                  disabled={save.isPending}
                  onClick={() => save.mutate({ [f.key]: null })}
                >
                  Use the option
                </Button>
              )}
            </div>
          </div>
        </div>
      ))}
    </Container>
  )
}

/** Every plugin option in words, its value (schedules explained) and where it comes from. */
export const OptionsTable = ({ rows }: { rows: OptionRow[] }) => (
  <Table data-testid="tradegecko-options">
    <Table.Header>
      <Table.Row>
        <Table.HeaderCell>Option</Table.HeaderCell>
        <Table.HeaderCell>Value</Table.HeaderCell>
        <Table.HeaderCell>From</Table.HeaderCell>
      </Table.Row>
    </Table.Header>
    <Table.Body>
      {rows.map((r) => (
        <Table.Row key={r.key} data-testid={`tradegecko-option-${r.key}`}>
          <Table.Cell className="w-1/3">
            <div className="flex flex-col py-1">
              <span>{r.label}</span>
              <span className="text-ui-fg-muted txt-compact-xsmall font-mono">{r.key}</span>
            </div>
          </Table.Cell>
          <Table.Cell className="txt-compact-small">
            <div className="flex flex-col py-1">
              <span className={typeof r.value === "object" && r.value !== null ? "font-mono" : ""}>
                {r.value === null || r.value === undefined
                  ? "—"
                  : typeof r.value === "object"
                    ? JSON.stringify(r.value)
                    : typeof r.value === "boolean"
                      ? r.value
                        ? "on"
                        : "off"
                      : String(r.value)}
              </span>
              {r.explained && <span className="text-ui-fg-subtle txt-compact-xsmall">{r.explained}</span>}
            </div>
          </Table.Cell>
          <Table.Cell>
            <SourceBadge source={r.source} />
          </Table.Cell>
        </Table.Row>
      ))}
    </Table.Body>
  </Table>
)
