import { z } from "zod";

/** For procedures that take nothing: anything sent is refused, not ignored. */
export const ZNoInput = z.void();
