import { parseExpression } from "cron-parser"
import {
  OPTION_SPECS,
  SECRET_OPTIONS,
  SETTING_COLUMNS,
  TradegeckoOptionsSchema,
  type FieldInput,
  type TradegeckoOptions,
} from "../../../../modules/tradegecko/options"

/**
 * What the settings page shows about each option, built from the options table
 * (src/modules/tradegecko/options.ts): its label and help, what it means unset, and for
 * the run-time overrides the input to draw. A new option or override needs no change here.
 */
export type { FieldInput }

const DEFAULTS = TradegeckoOptionsSchema.parse({}) as Record<string, unknown>
const spec = (key: string) =>
  (OPTION_SPECS as Record<string, (typeof OPTION_SPECS)[keyof typeof OPTION_SPECS] | undefined>)[key]

/** "productSyncSchedule" → "Product sync schedule", for options this table does not know yet. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
const pad = (n: string) => n.padStart(2, "0")

/** A cron schedule in words: "every hour", "every 5 minutes", "every day at 03:00". */
export function describeSchedule(expr: string): string {
  if (expr === "off") return "off: no scheduled run"
  const parts = expr.trim().split(/\s+/)
  const [sec, min, hour, dom, mon, dow] = parts.length === 6 ? parts : ["0", ...parts]
  const num = (s: string) => /^\d+$/.test(s)
  const step = (s: string) => /^\*\/(\d+)$/.exec(s)?.[1]
  const rest = dom === "*" && mon === "*"
  if (rest && dow === "*" && sec !== "0" && step(sec) && min === "*" && hour === "*")
    return `every ${step(sec)} seconds`
  if (sec === "0" && rest) {
    if (min === "*" && hour === "*" && dow === "*") return "every minute"
    if (step(min) && hour === "*" && dow === "*") return `every ${step(min)} minutes`
    if (min === "0" && hour === "*" && dow === "*") return "every hour"
    if (num(min) && hour === "*" && dow === "*") return `every hour at minute ${min}`
    if (num(min) && step(hour) && dow === "*")
      return `every ${step(hour)} hours${min === "0" ? "" : ` at minute ${min}`}`
    if (num(min) && num(hour) && dow === "*") return `every day at ${pad(hour)}:${pad(min)}`
    if (num(min) && num(hour) && num(dow) && Number(dow) < 7)
      return `every ${WEEKDAYS[Number(dow)]} at ${pad(hour)}:${pad(min)}`
  }
  try {
    return `cron "${expr}", next at ${parseExpression(expr).next().toDate().toISOString().replace("T", " ").slice(0, 16)} UTC`
  } catch {
    return `cron "${expr}"`
  }
}

/** Where an option's value comes from. */
export type ValueSource = "override" | "option" | "default" | "unset"

export interface OptionRow {
  key: string
  label: string
  help: string
  value: unknown
  source: ValueSource
  default_value: unknown
  /** The value in words when it needs them (schedules, unset options). */
  explained: string | null
}

export interface SettingField extends OptionRow {
  input: FieldInput
  choices: Array<{ value: string; label: string }> | null
  unit: string | null
  /** The plugin option (medusa-config) or its default: what "Use the option" returns to. */
  option_value: unknown
  override: unknown
}

function rowOf(key: string, options: Record<string, unknown>, overrides: Record<string, unknown>): OptionRow {
  const meta = spec(key)
  const option = options[key]
  const overridden = overrides[key] !== undefined && overrides[key] !== null
  const value = overridden ? overrides[key] : option
  const source: ValueSource = overridden
    ? "override"
    : option === undefined
      ? "unset"
      : key in DEFAULTS && same(option, DEFAULTS[key])
        ? "default"
        : "option"
  const masked = SECRET_OPTIONS.has(key) ? (value ? "•••••• (set)" : undefined) : value
  return {
    key,
    label: meta?.label ?? humanize(key),
    help: meta?.help ?? "",
    value: masked ?? null,
    source,
    default_value: DEFAULTS[key] ?? null,
    explained:
      /Schedule$/.test(key) && typeof value === "string"
        ? describeSchedule(value)
        : value === undefined || value === null
          ? (meta?.whenUnset ?? null)
          : null,
  }
}

/**
 * Every option (secrets masked, unset ones listed with their default) and the form fields
 * of the run-time overrides, each saying where its value comes from.
 */
export function describeOptions(
  options: TradegeckoOptions,
  overrides: Partial<TradegeckoOptions>
): { options_list: OptionRow[]; fields: SettingField[] } {
  const opts = options as unknown as Record<string, unknown>
  const over = overrides as Record<string, unknown>
  const keys = [...new Set([...Object.keys(OPTION_SPECS), ...Object.keys(opts)])].filter((k) => k !== "database")
  const options_list = keys.map((k) => rowOf(k, opts, over))
  const fields = Object.keys(SETTING_COLUMNS).map((key) => {
    const override = spec(key)!.override!
    return {
      ...rowOf(key, opts, over),
      input: override.input,
      choices: override.choices ? Object.entries(override.choices).map(([value, label]) => ({ value, label })) : null,
      unit: override.unit ?? null,
      option_value: opts[key] ?? null,
      override: over[key] ?? null,
    }
  })
  return { options_list, fields }
}
