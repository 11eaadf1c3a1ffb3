import { describe, expect, it } from "vitest";
import { MEMBER_STATES, isAllowed, offeredActions, TRANSITIONS, type TLifecycleAction } from "@/server/shared/member-states";

// Issue 11 item 12: one primary action per state, the rest in a menu, and
// never an action the state table refuses or that changes nothing.

const anyone = () => true;

describe("the actions the member page offers", () => {
  it("puts first the next step of the lifecycle, or the way back from a pause", () => {
    const primaries = Object.fromEntries(MEMBER_STATES.map((state) => [state, offeredActions(state, anyone).primary]));
    expect(primaries).toEqual({
      pending: "activate",
      active: "disable",
      locked: "unlock",
      disabled: "enable",
      resigned: "archive",
      archived: "unarchive",
      deleted: "restore",
    });
  });

  it("offers only what the state table allows, never an action that leaves the state as it is, each once", () => {
    for (const state of MEMBER_STATES) {
      const offered = offeredActions(state, anyone);
      const all = [offered.primary, ...offered.more, ...offered.destructive].filter((action): action is TLifecycleAction => action !== null);
      expect(new Set(all).size, state).toBe(all.length);
      for (const action of all) {
        expect(isAllowed(action, state), `${action} from ${state}`).toBe(true);
        expect(TRANSITIONS[action].to, `${action} from ${state}`).not.toBe(state);
      }
    }
    // The complaint of the issue: "Lock…" on a member already locked.
    const locked = offeredActions("locked", anyone);
    expect([locked.primary, ...locked.more, ...locked.destructive]).not.toContain("lock");
  });

  it("keeps Delete apart from the other actions, and offers the permanent delete as its own", () => {
    const active = offeredActions("active", anyone);
    expect(active).toEqual({ primary: "disable", more: ["lock", "resign", "archive"], destructive: ["delete"], hardDelete: true });
    expect(offeredActions("deleted", anyone)).toEqual({ primary: "restore", more: [], destructive: [], hardDelete: true });
  });

  it("leaves out what the viewer may not do: on their own account, only Lock", () => {
    const ownAccount = offeredActions("active", (action) => action === "lock");
    expect(ownAccount).toEqual({ primary: "lock", more: [], destructive: [], hardDelete: false });
    expect(offeredActions("active", () => false)).toEqual({ primary: null, more: [], destructive: [], hardDelete: false });
  });
});
