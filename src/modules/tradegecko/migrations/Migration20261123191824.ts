import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123191824 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_order_link" drop constraint if exists "tradegecko_order_link_order_id_unique";`
    )
    this.addSql(
      `alter table if exists "tradegecko_customer_link" drop constraint if exists "tradegecko_customer_link_email_unique";`
    )
    this.addSql(
      `create table if not exists "tradegecko_customer_link" ("id" text not null, "email" text not null, "tradegecko_company_id" integer not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_customer_link_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_customer_link_deleted_at" ON "tradegecko_customer_link" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_customer_link_email_unique" ON "tradegecko_customer_link" ("email") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "tradegecko_order_link" ("id" text not null, "order_id" text not null, "reference" text not null, "idempotency_key" text not null, "status" text check ("status" in ('pending', 'pushing', 'pushed', 'failed', 'skipped')) not null default 'pending', "tradegecko_order_id" integer null, "tradegecko_order_number" text null, "tradegecko_status" text null, "attempts" integer not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "pushed_at" timestamptz null, "line_map" jsonb null, "applied" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_order_link_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_order_link_deleted_at" ON "tradegecko_order_link" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_order_link_order_id_unique" ON "tradegecko_order_link" ("order_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_order_link_status_next_attempt_at" ON "tradegecko_order_link" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_order_link_tradegecko_order_id" ON "tradegecko_order_link" ("tradegecko_order_id") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tradegecko_customer_link" cascade;`)

    this.addSql(`drop table if exists "tradegecko_order_link" cascade;`)
  }
}
