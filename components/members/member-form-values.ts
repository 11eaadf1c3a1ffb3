import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { GENDERS, type TMemberUpdateInput } from "@/server/members/schemas";

type TGender = (typeof GENDERS)[number];

/** What the edit form needs of the record `members.get` returns. */
export type TEditableMember = {
  id: bigint | string;
  updatedAt: Date;
  firstName: string;
  lastName: string;
  fullName: string;
  username: string;
  email: string | null;
  mobile: string | null;
  country: string | null;
  landline: string | null;
  gender: string | null;
  title: string | null;
  address: string | null;
  role: "member" | "admin" | "owner";
};

/** The edit form's starting values: text for every field, the version it starts from as an ISO instant. */
export type TMemberEditValues = TMemberUpdateInput & { expectedLastModifiedDate: string };

export function memberEditValues(member: TEditableMember): TMemberEditValues {
  const phone = member.mobile ? parsePhoneNumberFromString(member.mobile) : undefined;
  return {
    memberId: member.id.toString(),
    // Milliseconds included: the database keeps them and the server compares instants.
    expectedLastModifiedDate: member.updatedAt.toISOString(),
    firstName: member.firstName,
    lastName: member.lastName,
    fullName: member.fullName,
    username: member.username,
    email: member.email ?? "",
    // Rows from before the country was recorded: the one the number itself belongs to.
    country: member.country ?? phone?.country ?? "",
    mobile: phone?.formatInternational() ?? member.mobile ?? "",
    landline: member.landline ?? "",
    gender: GENDERS.includes(member.gender as TGender) ? (member.gender as TGender) : null,
    title: member.title ?? "",
    address: member.address ?? "",
    role: member.role,
  };
}
