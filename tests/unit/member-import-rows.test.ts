import { describe, expect, it } from "vitest";
import { columnMeaning } from "@/server/imports/columns";
import { DepartmentResolver } from "@/server/imports/department-resolver";
import { ImportFileError } from "@/server/imports/import-file-error";
import { checkImportRow } from "@/server/imports/import-row";
import { jsonArrayElements, ndjsonLines } from "@/server/imports/json-elements";
import { planBatch, type TCurrentMember } from "@/server/imports/plan-batch";

// The import's pure parts: column names, the JSON splitter, a row's checks
// and the plan of a batch. The whole flow is in tests/integration/member-import*.

async function collect(generator: AsyncGenerator<string>): Promise<string[]> {
  const items: string[] = [];
  for await (const item of generator) items.push(item);
  return items;
}

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let index = 0; index < text.length; index += size) {
    await Promise.resolve(); // a chunk arrives later, as from a socket
    yield text.slice(index, index + size);
  }
}

const departments = new DepartmentResolver([
  { id: 1n, parentId: null, name: "Engineering", kind: "regular" },
  { id: 2n, parentId: 1n, name: "QA", kind: "regular" },
  { id: 3n, parentId: null, name: "Sales", kind: "regular" },
  { id: 4n, parentId: 3n, name: "QA", kind: "regular" },
  { id: 5n, parentId: null, name: "Departed", kind: "departed" },
]);

describe("import columns", () => {
  it("match the specification's names regardless of case, spaces and underscores; the export's read-only columns are ignored with a reason", () => {
    expect(columnMeaning(" First Name ")).toEqual({ field: "firstName" });
    expect(columnMeaning("MAIN_DEPT_ID")).toEqual({ field: "mainDeptId" });
    expect(columnMeaning("role")).toEqual({ field: "sysAdmin" });
    expect(columnMeaning("lastModifiedDate")).toEqual({ ignored: "read-only: written by Tenure, not by an import" });
    expect(columnMeaning("shoe size")).toEqual({ ignored: "not a field of the member record" });
  });
});

describe("the JSON splitter", () => {
  it("yields each element whole, whatever the chunk boundaries, brackets and commas inside strings, or escaped quotes", async () => {
    const elements = [{ a: "x, ] }" }, { b: ['"[', { c: 1 }] }, 7, "text", null];
    const text = ` \n ${JSON.stringify(elements, null, 1)} \n`;
    for (const size of [1, 3, 7, 1000]) {
      expect((await collect(jsonArrayElements(chunks(text, size), 1000))).map((element) => JSON.parse(element) as unknown)).toEqual(elements);
    }
    expect(await collect(jsonArrayElements(chunks("[]", 1), 1000))).toEqual([]);
  });

  it("refuses what is not an array, an array cut off, and an element over the size limit", async () => {
    await expect(collect(jsonArrayElements(chunks('{"a": 1}', 4), 1000))).rejects.toBeInstanceOf(ImportFileError);
    await expect(collect(jsonArrayElements(chunks('[{"a": 1}, {"b"', 4), 1000))).rejects.toThrow("not closed");
    await expect(collect(jsonArrayElements(chunks(`[${JSON.stringify({ long: "x".repeat(100) })}]`, 8), 50))).rejects.toThrow("longer than");
  });

  it("splits NDJSON into its non-blank lines", async () => {
    expect(await collect(ndjsonLines(chunks('{"a":1}\r\n\n  {"b":2}\n{"c":3}', 5), 100))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});

describe("an import row", () => {
  it("keeps only the columns it has, normalised as the member record stores them", () => {
    expect(checkImportRow({ username: " ada ", mobile: "07400 550001", country: "gb", sysAdmin: "1", gender: "Female", title: "" }, departments)).toEqual({
      username: "ada",
      problems: [],
      values: { username: "ada", mobile: "+447400550001", itc: "+44", country: "GB", sysAdmin: 1, gender: "female", title: null },
    });
  });

  it("resolves departments by id, name or path, and says why when it cannot", () => {
    expect(checkImportRow({ username: "a", mainDepartment: "engineering/qa" }, departments).values?.mainDepartmentId).toBe("2");
    expect(checkImportRow({ username: "a", mainDeptId: "3", mainDepartment: "Sales" }, departments).values?.mainDepartmentId).toBe("3");
    expect(checkImportRow({ username: "a", mainDepartment: "QA" }, departments).problems[0]?.message).toMatch(/Several departments are named QA/);
    expect(checkImportRow({ username: "a", mainDeptId: "1", mainDepartment: "Sales" }, departments).problems[0]?.field).toBe("mainDepartment");
    // Departed resolves (a resigned member's export row names it); moving someone else there is refused against the directory.
    expect(checkImportRow({ username: "a", mainDepartment: "Departed" }, departments).values?.mainDepartmentId).toBe("5");
    expect(checkImportRow({ username: "a", mainDepartment: "", deptHead: "yes" }, departments).problems[0]?.field).toBe("deptHead");
  });
});

describe("a batch's plan", () => {
  const current: TCurrentMember = {
    id: 10n,
    profile: {
      username: "Ada", email: "ada@x.test", firstName: "Ada", lastName: "Lovelace", fullName: "Ada Lovelace", mobile: "+447400550001", itc: null,
      country: null, landline: null, gender: null, title: null, address: null, sysAdmin: 0,
    },
    mainDepartmentId: null,
    memberships: new Map([["2", false]]),
  };

  it("changes only what the row gives, keeps a known number's recorded country, and leaves an identical member unchanged", () => {
    const rows = [
      { rowNumber: 1, key: "ada", values: { username: "ada", mobile: "+447400550001", itc: "+44", country: "GB", title: "Countess", mainDepartmentId: "2", deptHead: true } },
    ];
    const { writes, unchanged } = planBatch(rows, new Map([["ada", current]]), "first_last");
    expect(unchanged).toEqual([]);
    expect(writes[0]).toMatchObject({ memberId: 10n, profileChanged: true, mainDepartmentId: "2", head: { departmentId: "2", isHead: true } });
    expect(writes[0]!.joinDepartmentId).toBeUndefined();
    expect(writes[0]!.changes).toEqual({
      title: { before: null, after: "Countess" },
      mainDepartmentId: { before: null, after: "2" },
      deptHead: { before: false, after: true },
    });
    expect(planBatch([{ rowNumber: 1, key: "ada", values: { username: "ADA", email: "ada@x.test" } }], new Map([["ada", current]]), "first_last").unchanged).toEqual([1]);
  });

  it("creates a new member with the full name in the tenant's order and the member role by default", () => {
    const { writes } = planBatch(
      [{ rowNumber: 3, key: "wang", values: { username: "wang", firstName: "Yunting", lastName: "Wang", email: "w@x.test", mobile: "+447400550009", itc: "+44", country: "GB" } }],
      new Map(),
      "last_first",
    );
    expect(writes[0]).toMatchObject({ memberId: null, profile: { fullName: "Wang Yunting", sysAdmin: 0, title: null } });
  });
});
