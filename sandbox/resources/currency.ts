// Currency (/currencies; spec §3.10).
import { dec } from "../format"
import { define, stamps } from "./define"

export const currency = define({
  name: "currency",
  plural: "currencies",
  klass: "Currency",
  ops: ["list", "show", "create", "update", "delete"],
  writable: {
    iso: "string",
    name: "string",
    rate: "decimal",
    symbol: "string",
    separator: "string",
    delimiter: "string",
    precision: "int",
    format: "string",
  },
  required: ["iso"],
  defaults: () => ({
    rate: 1,
    symbol: "$",
    separator: ".",
    delimiter: ",",
    precision: 2,
    format: "%u%n",
    status: "active",
    name: null,
  }),
  validate: (d, _ctx, errors) => {
    if (typeof d.iso === "string" && !/^[A-Za-z]{3}$/.test(d.iso))
      errors.add("iso", "is the wrong length (should be 3 characters)")
    if (typeof d.iso === "string") d.iso = d.iso.toUpperCase()
  },
  filters: { iso: { type: "string" } },
  serialize: (r) => ({
    ...stamps(r),
    delimiter: r.delimiter,
    format: r.format,
    iso: r.iso,
    name: r.name,
    precision: r.precision,
    rate: dec(r.rate),
    separator: r.separator,
    symbol: r.symbol,
    status: r.status,
    subunit: 100,
  }),
})
