// Save_Client_State / Restore_Client_State, and the Push_Client_State / Pop_Client_State macros
// that keep the saved registers on the stack.
import { describe, expect, it } from "vitest";
import { CLIENT_REG_STRUC } from "../../src/vmm/tables/structures.js";
import { run } from "../helpers/assemble.js";

const lines = (...l: string[]): string => ["include vmm.inc", ...l].join("\n") + "\n";
const clientOffset = (name: string): number => CLIENT_REG_STRUC.fields.find((f) => f.name === name)!.offset;

describe("client state", () => {
  it("Pop_Client_State puts back what Push_Client_State saved, and both leave ESP, ESI and EDI as they were", () => {
    const r = run(
      lines(
        "mov [ebp.Client_EAX], 11111111h",
        "mov [ebp.Client_ECX], 33333333h",
        "mov esi, 5E5E5E5Eh",
        "mov edi, 0D1D1D1D1h",
        "mov edx, esp",
        "Push_Client_State",
        "mov ebx, esp",
        "mov [ebp.Client_EAX], 22222222h",
        "mov [ebp.Client_ECX], 44444444h",
        "Pop_Client_State",
        "sub edx, esp",
        "mov eax, [ebp.Client_EAX]",
        "mov ecx, [ebp.Client_ECX]",
        "ret",
      ),
    );
    expect(r.status).toBe("ok");
    expect(r.registers.eax).toBe(0x11111111);
    expect(r.registers.ecx).toBe(0x33333333);
    expect(r.registers.edx).toBe(0);
    expect(r.registers.esi).toBe(0x5e5e5e5e);
    expect(r.registers.edi).toBe(0xd1d1d1d1);
  });

  it("Push_Client_State keeps a copy of Client_Reg_Struc on the stack", () => {
    const r = run(lines("mov [ebp.Client_EDX], 0CAFEF00Dh", "Push_Client_State", `mov eax, [esp+${clientOffset("Client_EDX")}]`, "Pop_Client_State", "ret"));
    expect(r.registers.eax).toBe(0xcafef00d);
  });

  it("Save_Client_State writes to the buffer EDI points at and changes only the flags", () => {
    const r = run(
      lines(
        "mov [ebp.Client_ESI], 12345678h",
        "mov edi, OFFSET32 Saved",
        "mov eax, 0AAAAAAAAh",
        "VMMcall Save_Client_State",
        `mov ecx, dword ptr [Saved+${clientOffset("Client_ESI")}]`,
        "ret",
        "Saved db SIZE Client_Reg_Struc dup (0)",
      ),
    );
    expect(r.registers.ecx).toBe(0x12345678);
    expect(r.registers.eax).toBe(0xaaaaaaaa);
    expect(r.registers.edi).not.toBe(0);
  });

  it("a buffer outside memory is a fault on the service's line", () => {
    const r = run(lines("mov edi, 0FFFFFFF0h", "VMMcall Save_Client_State", "ret"));
    expect(r.status).toBe("fault");
    expect(r.diagnostics[0]!.span?.line).toBe(3);
  });
});
