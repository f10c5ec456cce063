// The D1 schema (drizzle). `npm run db:generate` turns changes here into SQL in migrations/.
// Times are integer milliseconds since the epoch (UTC).
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Normalised (trimmed, lower-cased) so uniqueness is case-insensitive. Null for phone/OAuth-only users. */
    email: text("email"),
    emailVerifiedAt: integer("email_verified_at"),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    disabledAt: integer("disabled_at"),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email).where(sql`${t.email} is not null`)],
);

/** A user's password, apart from the user: phone- or OAuth-only users have none. */
export const passwordCredentials = sqliteTable("password_credentials", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** PHC string: algorithm, parameters, salt and hash. */
  hash: text("hash").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Earlier password hashes, so a recent password cannot be chosen again. */
export const passwordHistory = sqliteTable(
  "password_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("password_history_user").on(t.userId, t.createdAt)],
);

export type User = typeof users.$inferSelect;
