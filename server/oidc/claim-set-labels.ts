// What each claim set tells an application, in the words the consent page shows. Pure.

export const CLAIM_SET_LABELS: Record<string, string> = {
  profile: "Your name and username",
  email: "Your email address",
  phone: "Your mobile number",
  roles: "Your roles in the organisation",
  groups: "The groups you belong to",
  permissions: "Your permissions",
};
