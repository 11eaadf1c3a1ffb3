-- Each application's own pace for outbound SCIM: the requests per second Tenure sends it at most
-- (a burst of as many, then a steady rate), set with its connection. The default is the former constant.
ALTER TABLE "application_scim_settings"
  ADD COLUMN "rate_limit_per_second" INTEGER NOT NULL DEFAULT 200
  CONSTRAINT "application_scim_settings_rate_limit_check" CHECK ("rate_limit_per_second" BETWEEN 1 AND 1000);
