// Address (/addresses; spec §3.8). PUT answers 200 with the record (changed Aug 2020).
import type { Row } from "../store"
import { define, mustExist, stamps } from "./define"

const COUNTRY_CODES: Record<string, string> = {
  "united states": "US",
  "united states of america": "US",
  usa: "US",
  "united kingdom": "GB",
  "great britain": "GB",
  singapore: "SG",
  "new zealand": "NZ",
  australia: "AU",
  canada: "CA",
  germany: "DE",
  france: "FR",
  netherlands: "NL",
  spain: "ES",
  italy: "IT",
  ireland: "IE",
  denmark: "DK",
  sweden: "SE",
  japan: "JP",
}

/** ISO alpha-2 code for a country name or code (derived when country_code is omitted). */
export function countryCode(country: unknown): string | null {
  if (typeof country !== "string" || !country.trim()) return null
  const c = country.trim()
  if (/^[A-Za-z]{2}$/.test(c)) return c.toUpperCase()
  return COUNTRY_CODES[c.toLowerCase()] ?? null
}

export const addressFields = {
  label: "string",
  address1: "string",
  address2: "string",
  suburb: "string",
  city: "string",
  state: "string",
  zip_code: "string",
  country: "string",
  country_code: "string",
  company_name: "string",
  first_name: "string",
  last_name: "string",
  phone_number: "string",
  email: "string",
} as const

export const address = define({
  name: "address",
  plural: "addresses",
  klass: "Address",
  idBase: 500001,
  ops: ["list", "show", "create", "update", "delete"],
  writable: addressFields,
  createOnly: { company_id: "int" },
  required: ["company_id", "address1"],
  defaults: () => ({
    ...Object.fromEntries(Object.keys(addressFields).map((k) => [k, null])),
    status: "active",
  }),
  validate: (d: Row, ctx, errors) => {
    if (d.company_id) mustExist(ctx, "companies", d.company_id, "company_id", errors)
    d.country_code ??= countryCode(d.country)
    if (d.label) {
      const taken = ctx.store
        .where("addresses", "company_id", d.company_id)
        .some((a) => a.id !== d.id && a.status === "active" && a.label === d.label)
      if (taken) errors.add("label", "has already been taken")
    }
  },
  updateReturnsBody: true,
  events: { create: "address.create", update: "address.update" },
  filters: { company_id: { type: "int" }, label: { type: "string" }, email: { type: "string" } },
  search: ["address1", "city", "label", "company_name", "email"],
  serialize: (r) => ({
    ...stamps(r),
    company_id: r.company_id,
    address1: r.address1,
    address2: r.address2,
    city: r.city,
    company_name: r.company_name,
    country: r.country,
    country_code: r.country_code,
    email: r.email,
    first_name: r.first_name,
    last_name: r.last_name,
    label: r.label,
    phone_number: r.phone_number,
    state: r.state,
    status: r.status,
    suburb: r.suburb,
    zip_code: r.zip_code,
  }),
})
