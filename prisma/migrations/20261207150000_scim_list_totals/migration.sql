-- Issue 16, speed: a walk through GET /Users by pages counted every match on
-- every page for totalResults (a scan of the tenant's members per page: a
-- listing of 1,000,000 by pages of 1,000 did not finish in 10 minutes). A
-- continued page now answers the count its walk's first page took.
ALTER TABLE "scim_list_positions" ADD COLUMN "total" BIGINT;
