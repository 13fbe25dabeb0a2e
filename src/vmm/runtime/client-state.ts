// Save_Client_State and Restore_Client_State: the current VM's Client_Reg_Struc copied to a buffer
// and back (Push_Client_State and Pop_Client_State use them with a buffer on the stack).
import { Reg } from "../../ir/types.js";
import { CLIENT_REG_STRUC } from "../tables/structures.js";
import { service } from "./service-registry.js";

const SIZE = CLIENT_REG_STRUC.size;

service("Save_Client_State", (vmm, cpu) => {
  const memory = cpu.memory;
  memory.writeBytes(cpu.regs[Reg.EDI]! >>> 0, memory.readBytes(vmm.currentVm.clientRegs, SIZE));
});

service("Restore_Client_State", (vmm, cpu) => {
  const memory = cpu.memory;
  memory.writeBytes(vmm.currentVm.clientRegs, memory.readBytes(cpu.regs[Reg.ESI]! >>> 0, SIZE));
});
