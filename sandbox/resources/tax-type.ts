// Tax types and their components (/tax_types, /tax_components; spec §3.11).
// Tax types may embed tax_components on create; lists always sideload the
// components, as the recorded 2014 traffic shows (spec §2.1).
import { effectiveRate } from "../domain/lines"
import { Errors } from "../conventions/errors"
import { dec } from "../format"
import type { Row } from "../store"
import type { JsonObject } from "../types"
import { asArray, assignFields, byPosition, createRecord, define, hasMany, requirePresent, type Ctx } from "./define"

const componentFields = { position: "int", label: "string", rate: "decimal", compound: "bool" } as const

export const taxComponent = define({
  name: "tax_component",
  plural: "tax_components",
  klass: "TaxComponent",
  ops: ["list", "show", "create", "update", "delete"],
  writable: componentFields,
  createOnly: { tax_type_id: "int" },
  required: ["tax_type_id", "rate"],
  defaults: () => ({ position: 1, label: null, compound: false }),
  validate: (d, ctx, errors) => {
    if (d.tax_type_id && !ctx.store.get("tax_types", d.tax_type_id)) errors.add("tax_type_id", "is invalid")
  },
  positioned: true,
  filters: { tax_type_id: { type: "int" } },
  serialize: (r) => ({
    id: r.id,
    tax_type_id: r.tax_type_id,
    position: r.position,
    label: r.label,
    rate: dec(r.rate),
    compound: r.compound,
  }),
})

export const taxType = define({
  name: "tax_type",
  plural: "tax_types",
  klass: "TaxType",
  ops: ["list", "show", "create", "update", "delete"],
  writable: { name: "string", code: "string", quickbooks_online_id: "string", xero_online_id: "string" },
  required: ["name"],
  defaults: () => ({
    code: null,
    imported_from: null,
    status: "active",
    quickbooks_online_id: null,
    xero_online_id: null,
  }),
  validate: (_d, _ctx, errors, existing, input) => {
    if (existing) return
    asArray(input.tax_components, "tax_components").forEach((c, i) => {
      const draft: Record<string, unknown> = {}
      const sub = new Errors()
      assignFields(draft, c, componentFields, sub, "create")
      requirePresent(draft, ["rate"], sub)
      if (sub.any) errors.add(`tax_components[${i}]`, "is invalid")
    })
  },
  afterCreate: (row: Row, input: JsonObject, ctx: Ctx) => {
    asArray(input.tax_components, "tax_components").forEach((c, i) =>
      createRecord(taxComponent, { position: i + 1, ...c, tax_type_id: Number(row.id) }, ctx)
    )
  },
  includes: { tax_components: hasMany("tax_components", "tax_type_id") },
  defaultIncludes: ["tax_components"],
  search: ["name", "code"],
  serialize: (r, ctx) => ({
    id: r.id,
    code: r.code,
    imported_from: r.imported_from,
    name: r.name,
    status: r.status,
    quickbooks_online_id: r.quickbooks_online_id,
    xero_online_id: r.xero_online_id,
    effective_rate: dec(effectiveRate(ctx.store, r)),
    tax_component_ids: [...ctx.store.where("tax_components", "tax_type_id", r.id)].sort(byPosition).map((c) => c.id),
  }),
})
