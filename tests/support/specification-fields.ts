/**
 * The specification's user record (user-management: User Information): every
 * named field, and the unnamed ones ("N/A") as the camel case of their
 * parameter ("Deletion Status": deleted, "Last Lock Time": lastLockDate).
 */
export const SPECIFICATION_FIELDS = [
  "id", "firstName", "lastName", "fullName", "username", "mobile", "landline", "email", "gender", "title", "address", "sysAdmin", "locked",
  "enabled", "source", "online", "onlineDate", "offlineDate", "createdBy", "createdDate", "lastModifiedBy", "lastModifiedDate", "itc",
  "country", "registrationAccountType", "registrationAccount", "registeredDeviceId", "tenantId", "tenantName", "avatar", "userDirectoryId",
  "mainDeptId", "deptHead", "passwordExpired", "passwordExpiredDate", "disableReason", "deleted", "lastLockDate", "lockStartDate",
  "lockEndDate", "passwordChangedDate",
] as const;
