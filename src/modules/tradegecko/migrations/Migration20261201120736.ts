import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201120736 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "tradegecko_rate_window" ("id" text not null, "used" integer not null default 0, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_rate_window_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_rate_window_deleted_at" ON "tradegecko_rate_window" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tradegecko_rate_window" cascade;`)
  }
}
