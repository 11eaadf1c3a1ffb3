"use client";

import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { TAppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<TAppRouter>();
