-- The version of a directory's settings, apart from updated_at (which every sync run moves): the settings form
-- states the version it started from, and a save over someone else's is refused instead of silently overwriting it.
ALTER TABLE "directories" ADD COLUMN "settings_updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now();
UPDATE "directories" SET "settings_updated_at" = "updated_at";
