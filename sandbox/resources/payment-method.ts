// Payment methods and payment terms (/payment_methods, /payment_terms; spec §3.17).
import { define, stamps } from "./define"

export const paymentMethod = define({
  name: "payment_method",
  plural: "payment_methods",
  klass: "PaymentMethod",
  ops: ["list", "show", "create", "update", "delete"],
  writable: { name: "string" },
  required: ["name"],
  defaults: () => ({ is_default: false }),
  filters: { name: { type: "string" } },
  serialize: (r) => ({ ...stamps(r), name: r.name, is_default: r.is_default }),
})

export const paymentTerm = define({
  name: "payment_term",
  plural: "payment_terms",
  klass: "PaymentTerm",
  ops: ["list", "show", "create", "update", "delete"],
  writable: { name: "string", due_in_days: "int", from: "string" },
  required: ["name"],
  defaults: () => ({ due_in_days: 0, from: "now", status: "active" }),
  validate: (d, _ctx, errors) => {
    if (!["now", "eom"].includes(d.from)) errors.add("from", "is not included in the list")
  },
  serialize: (r) => ({ ...stamps(r), name: r.name, due_in_days: r.due_in_days, from: r.from, status: r.status }),
})
