// Location / warehouse (/locations; spec §3.6).
import { define, stamps } from "./define"

export const location = define({
  name: "location",
  plural: "locations",
  klass: "Location",
  ops: ["list", "show", "create", "update", "delete"],
  writable: {
    label: "string",
    address1: "string",
    address2: "string",
    suburb: "string",
    city: "string",
    state: "string",
    zip_code: "string",
    country: "string",
    holds_stock: "bool",
  },
  required: ["label", "address1", "country"],
  defaults: () => ({
    holds_stock: true,
    status: "active",
    address2: null,
    suburb: null,
    city: null,
    state: null,
    zip_code: null,
  }),
  validate: (d, ctx, errors) => {
    const clash = ctx.store
      .all("locations")
      .some((l) => l.id !== d.id && l.status === "active" && typeof d.label === "string" && l.label === d.label)
    if (clash) errors.add("label", "has already been taken")
  },
  events: { create: "location.create", update: "location.update" },
  search: ["label", "city"],
  serialize: (r) => ({
    ...stamps(r),
    address1: r.address1,
    address2: r.address2,
    city: r.city,
    country: r.country,
    holds_stock: r.holds_stock,
    label: r.label,
    state: r.state,
    status: r.status,
    suburb: r.suburb,
    zip_code: r.zip_code,
  }),
})
