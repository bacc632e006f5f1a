import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123205002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" add column if not exists "connection_type" text null, add column if not exists "privileged_token" text null, add column if not exists "oauth_access_token" text null, add column if not exists "oauth_refresh_token" text null, add column if not exists "oauth_expires_at" timestamptz null, add column if not exists "connected_at" timestamptz null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" drop column if exists "connection_type", drop column if exists "privileged_token", drop column if exists "oauth_access_token", drop column if exists "oauth_refresh_token", drop column if exists "oauth_expires_at", drop column if exists "connected_at";`
    )
  }
}
