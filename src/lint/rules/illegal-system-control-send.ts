// A device sends a System_Control message it may not send (vmm-facts §1.3, §7 rule 5).
import { messageByValue } from "../../vmm/tables/messages.js";
import { allowedSender, isDevice } from "../facts.js";
import type { Rule } from "../types.js";
import { describeCtx, EAX, hex, isConstVal } from "./support.js";
import { w95 } from "./uri.js";

export const illegalSystemControlSend: Rule = {
  meta: {
    id: "illegal-system-control-send",
    code: "L0101",
    severity: "error",
    summary: "a device sends a System_Control message only the VMM or another device may send",
    explanation:
      "System_Control broadcasts a message to every device. The DDK lets a device send only Set_Device_Focus " +
      "(any device) and private messages (70000000h-7FFFFFFFh, better sent with Directed_Sys_Control); Create_VM " +
      "and Destroy_VM belong to the shell device (SHELL), End_PM_App to the MS-DOS manager (DOSMGR), Power_Event " +
      "to VPOWERD, and every other VMM message - the `...2` ones included - to the VMM itself. A device that sends " +
      "one of them makes every other device believe something happened that did not. Lint reports a send when " +
      "EAX holds such a message on the way to `VMMcall System_Control` (through mov, equates, register copies and " +
      "simple arithmetic); a device's identity is its Declare_Virtual_Device (name or standard device ID).",
    source: "VDAG31 System_Control; W95DDK:S32CF; W95DDK:S343F; W95DDK:S343C; W95DDK:S3425",
    helpUri: w95("S32CF"),
    bad: "\tmov\teax, Create_VM\n\tVMMcall Get_Sys_VM_Handle\n\tVMMcall System_Control\t; only SHELL may create VMs",
    good: "\tmov\teax, Set_Device_Focus\n\tVMMcall Get_Sys_VM_Handle\n\txor\tedx, edx\n\txor\tesi, esi\n\tVMMcall System_Control",
  },
  check({ program: p, report }) {
    const sends = p.serviceCalls.of("System_Control");
    for (let k = 0; k < sends.length; k++) {
      const c = sends[k]!;
      const eax = c.regs[EAX];
      if (!isConstVal(eax)) continue;
      const m = messageByValue(eax.n);
      if (!m) continue;
      const allowed = allowedSender(m);
      if (allowed.kind === "any-device") continue;
      const file = p.span(c.index).file;
      const device = c.ctx.device ?? p.deviceOfFile(file);
      if (allowed.device) {
        if (device && isDevice(device.name, device.id, allowed.device)) continue;
        // Who sends is not known: stay quiet if some device of this program may send it.
        if (!device && p.devices.some((d) => isDevice(d.name, d.id, allowed.device!))) continue;
      }
      const who = device ? `\`${device.name}\`` : "this device";
      const rule = allowed.device ? `only ${allowed.device} may send it` : m.companionOf ? `only the VMM sends it (right after ${m.companionOf})` : "only the VMM sends it";
      report({
        span: p.span(c.index),
        message: `${who} sends ${m.name} (${hex(m.value)}), but ${rule}`,
        help: "a device may send Set_Device_Focus, and private messages (70000000h-7FFFFFFFh) with Directed_Sys_Control",
        notes: [`EAX = ${m.name} here, ${describeCtx(p, c.ctx)}`],
      });
    }
  },
};
