import { SYSTEM_ROLE } from "@/server/shared/roles";
import { composeFullName } from "@/server/members/full-name";
import { normaliseMobile } from "@/server/validation/phone";
import type { ZMemberCreate } from "@/server/members/schemas";
import type { z } from "zod";

type TProfileInput = Omit<z.output<typeof ZMemberCreate>, "role"> & { role: keyof typeof SYSTEM_ROLE };

/** The columns a console create or edit writes, from its validated input (mobile already checked; email or mobile may be absent, not both). */
export function profileValues(input: TProfileInput, nameOrder: string) {
  const phone = input.mobile ? normaliseMobile(input.mobile, input.country)! : { mobile: null, itc: null, country: input.country };
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    fullName: input.fullName ?? composeFullName(input.firstName, input.lastName, nameOrder),
    username: input.username,
    email: input.email ?? null,
    mobile: phone.mobile,
    itc: phone.itc,
    country: phone.country,
    landline: input.landline ?? null,
    gender: input.gender ?? null,
    title: input.title ?? null,
    address: input.address ?? null,
    sysAdmin: SYSTEM_ROLE[input.role],
  };
}
