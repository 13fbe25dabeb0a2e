// The REPL's parts: multi-line blocks, completion, addresses, the journals undo is built on.
import { describe, expect, it } from "vitest";
import { memoryFileSystem } from "../../src/front/files.js";
import { JournaledMemory } from "../../src/machine/journal.js";
import { evaluateAddress } from "../../src/repl/address.js";
import { BlockTracker } from "../../src/repl/blocks.js";
import { complete } from "../../src/repl/complete.js";
import { blankEnd } from "../../src/repl/session-fs.js";
import { ReplSession } from "../../src/repl/session.js";
import { StateCapture } from "../../src/repl/state-journal.js";

function feed(lines: string[]): (string | null)[] {
  const t = new BlockTracker();
  return lines.map((l) => t.add(l));
}

describe("multi-line input", () => {
  it("completes a single statement at once", () => {
    expect(feed(["mov eax, 1"])).toEqual(["mov eax, 1"]);
  });

  it("waits for the end of PROC, BeginProc, STRUC, MACRO, IF and segment blocks", () => {
    expect(feed(["Foo PROC", " ret", "Foo ENDP"])).toEqual([null, null, "Foo PROC\n ret\nFoo ENDP"]);
    expect(feed(["BeginProc Foo", " ret", "EndProc Foo"])[2]).toBe("BeginProc Foo\n ret\nEndProc Foo");
    expect(feed(["S STRUC", " a dd ?", "S ENDS"])[2]).toContain("S ENDS");
    expect(feed(["M MACRO x", " REPT x", " nop", " ENDM", "ENDM"])).toEqual([null, null, null, null, "M MACRO x\n REPT x\n nop\n ENDM\nENDM"]);
    expect(feed(["REPT 3", " nop", "ENDM"])[2]).not.toBeNull();
    expect(feed(["IFDEF X", " IF 1", " ENDIF", "ELSE", "ENDIF"])).toEqual([null, null, null, null, "IFDEF X\n IF 1\n ENDIF\nELSE\nENDIF"]);
    expect(feed(["VxD_LOCKED_CODE_SEG", "nop", "VxD_LOCKED_CODE_ENDS"])[2]).not.toBeNull();
    expect(feed(["Begin_Control_Dispatch X", "Control_Dispatch Device_Init, Y", "End_Control_Dispatch X"])[2]).not.toBeNull();
  });

  it("holds a label on a line of its own until its statement", () => {
    expect(feed(["again:", "", "dec ecx"])).toEqual([null, null, "again:\n\ndec ecx"]);
    expect(feed(["@@:", "nop"])[1]).toBe("@@:\nnop");
  });

  it("is not fooled by comments and strings", () => {
    expect(feed(["mov eax, 1 ; Foo PROC"])[0]).not.toBeNull();
    expect(feed(["db 'IF', 0"])[0]).not.toBeNull();
  });

  it("says what it waits for and can be dropped", () => {
    const t = new BlockTracker();
    t.add("Foo PROC");
    expect(t.open).toBe(true);
    expect(t.waitingFor).toBe("ENDP or EndProc");
    t.reset();
    expect(t.open).toBe(false);
    expect(t.add("nop")).toBe("nop");
  });
});

describe("completion", () => {
  const s = new ReplSession({ fs: memoryFileSystem({}) });
  s.start([]);
  s.submit("MyCounter dd 0");

  it("completes dot-commands", () => {
    expect(complete(s, ".re")).toEqual([[".regs", ".reset"], ".re"]);
    expect(complete(s, ".und")[0]).toEqual([".undo"]);
  });

  it("completes mnemonics, registers, services, messages and the session's symbols", () => {
    expect(complete(s, "cmpx")[0]).toContain("cmpxchg");
    expect(complete(s, "mov es")[0]).toEqual(expect.arrayContaining(["esi", "esp"]));
    expect(complete(s, "VMMcall Call_VM")).toEqual([["Call_VM_Event"], "Call_VM"]);
    expect(complete(s, "mov eax, Create_")[0]).toContain("Create_VM");
    expect(complete(s, "inc [MyC")[0]).toEqual(["MyCounter"]);
  });

  it("offers every device's services after VxDcall", () => {
    expect(complete(s, "VxDcall VPICD_Virtuali")[0]).toEqual(["VPICD_Virtualize_IRQ"]);
    expect(complete(s, "VMMcall VPICD_Virt")[0]).toEqual([]);
  });

  it("offers services only after VMMcall, in the case typed so far", () => {
    const [hits] = complete(s, "VMMcall get_cur");
    expect(hits).toContain("get_cur_VM_Handle");
    expect(hits.every((h) => h.startsWith("get_cur"))).toBe(true);
  });

  it("completes reference names after .doc and lists after --list", () => {
    expect(complete(s, ".doc PEF_Wait_For_S")[0]).toContain("PEF_Wait_For_STI");
    expect(complete(s, ".doc --list mess")[0]).toEqual(["messages"]);
    expect(complete(s, ".trace o")[0]).toEqual(["off", "on"]);
  });
});

describe("addresses", () => {
  const s = new ReplSession({ fs: memoryFileSystem({}) });
  s.start([]);
  s.submit("x dd 1, 2\nmov ebx, 1000h");

  it("reads numbers, registers, symbols, fields and sums", () => {
    expect(evaluateAddress(s, "1Fh")).toBe(0x1f);
    expect(evaluateAddress(s, "0x20")).toBe(0x20);
    expect(evaluateAddress(s, "x")).toBe(0x400000);
    expect(evaluateAddress(s, "[x+4]")).toBe(0x400004);
    expect(evaluateAddress(s, "ebx.CB_VMID")).toBe(0x100c);
    expect(evaluateAddress(s, "esp-8")).toBe((s.cpu.regs[4]! - 8) >>> 0);
    expect(evaluateAddress(s, "nothing")).toMatch(/not a number, a register or a symbol/);
  });
});

describe("the journals", () => {
  it("memory: the first old value of each byte written, restored on request", () => {
    const m = new JournaledMemory(0x10000);
    m.write32(0x2000, 0x11223344);
    const j = m.begin();
    m.write16(0x2001, 0xaaaa);
    m.write8(0x2001, 0xbb);
    m.writeBytes(0x3000, [1, 2, 3]);
    m.fill(0x3002, 2, 9);
    expect(j.ranges()).toEqual([{ address: 0x2001, length: 2 }, { address: 0x3000, length: 4 }]);
    expect(j.old.get(0x2001)).toBe(0x33);
    m.close(j);
    m.write8(0x4000, 1);
    expect(j.old.has(0x4000)).toBe(false);
    m.restore(j);
    expect(m.read32(0x2000) >>> 0).toBe(0x11223344);
    expect([...m.readBytes(0x3000, 4)]).toEqual([0, 0, 0, 0]);
    expect(() => m.write8(0, 1)).toThrow(/null page/);
  });

  it("state: only what changed is kept, and put back into the same objects", () => {
    const child = { n: 1, tags: ["a"] };
    const root = { child, list: [child], map: new Map([["k", 1]]), set: new Set([1]), text: "x", skip: { big: 1 } };
    const cap = new StateCapture(root, (_v, key) => key === "skip");
    child.n = 2;
    child.tags.push("b");
    root.list.push({ n: 9, tags: [] });
    root.map.set("k", 2);
    root.set.add(2);
    root.text = "y";
    root.skip.big = 2;
    (root as Record<string, unknown>)["extra"] = 1;
    const changes = cap.changes();
    expect(changes.size).toBe(6);
    changes.restore();
    expect(root).toEqual({ child: { n: 1, tags: ["a"] }, list: [child], map: new Map([["k", 1]]), set: new Set([1]), text: "x", skip: { big: 2 } });
    expect(root.child).toBe(child);
  });
});

describe("loaded files", () => {
  it("have END blanked (columns kept), and nothing else", () => {
    expect(blankEnd("\tnop\n\tend\n")).toBe("\tnop\n\t;nd\n");
    expect(blankEnd("END start ; go\r\n")).toBe(";ND start ; go\r\n");
    expect(blankEnd("\tendm\n\tEndProc Foo\nend: nop\n")).toBe("\tendm\n\tEndProc Foo\nend: nop\n");
  });
});
