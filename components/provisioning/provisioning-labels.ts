// Words for provisioning states, shared by the member page and the application's settings. Pure.

export const PROVISIONING_STATUS_LABEL: Record<string, string> = {
  pending: "Pending",
  provisioned: "Provisioned",
  deactivated: "Deactivated",
  failed: "Failed",
  deleted: "Deleted",
};

export const provisioningStatusLabel = (status: string) => PROVISIONING_STATUS_LABEL[status] ?? status;
