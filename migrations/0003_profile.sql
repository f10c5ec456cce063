-- Profile and account lifecycle (issue 13). Hand-written; src/storage/schema.ts matches.
ALTER TABLE `users` ADD `username` text;--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_key` text;--> statement-breakpoint
ALTER TABLE `users` ADD `deactivated_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `deletion_scheduled_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `notification_prefs` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`) WHERE `username` is not null;--> statement-breakpoint
CREATE INDEX `users_deletion_due` ON `users` (`deletion_scheduled_at`) WHERE `deletion_scheduled_at` is not null;--> statement-breakpoint
CREATE INDEX `users_deactivated` ON `users` (`deactivated_at`) WHERE `deactivated_at` is not null;--> statement-breakpoint
CREATE TABLE `email_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`old_email` text,
	`new_email` text NOT NULL,
	`revert_token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revert_expires_at` integer NOT NULL,
	`reverted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_changes_revert_token` ON `email_changes` (`revert_token_hash`);--> statement-breakpoint
CREATE INDEX `email_changes_user` ON `email_changes` (`user_id`, `created_at`);
