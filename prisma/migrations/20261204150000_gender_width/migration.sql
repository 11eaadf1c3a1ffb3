-- "undisclosed" (Prefers not to say) is 11 characters: the column held 10, so
-- choosing it failed with a database error. Widened with room to spare; the
-- CHECK constraint stays the list of allowed values.
ALTER TABLE "users" ALTER COLUMN "gender" TYPE VARCHAR(20);
