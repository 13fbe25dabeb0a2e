; illegal-create-vm.asm - a device breaking a rule of the DDK: only the shell device (SHELL,
; device ID 17h) may send Create_VM and Destroy_VM with System_Control. The simulated VMM stops
; the run at the offending VMMcall with the device's name and the source line (exit code 4);
; with --on-violation report it records the break and the run goes on.
;
; run: vmmasm run examples/illegal-create-vm.asm

	.386p
	include vmm.inc

Declare_Virtual_Device ROGUE, 1, 0, ROGUE_Control, Undefined_Device_ID, Undefined_Init_Order

Begin_Control_Dispatch ROGUE
	Control_Dispatch Init_Complete, Rogue_Init_Complete
End_Control_Dispatch ROGUE

VxD_LOCKED_CODE_SEG

BeginProc Rogue_Init_Complete
	Trace_Out "ROGUE: trying to create a VM myself"
	mov	eax, Create_VM
	VMMcall Get_Sys_VM_Handle
	VMMcall System_Control			; not allowed: ROGUE is not the shell
	Trace_Out "ROGUE: still running (only with --on-violation report)"
	clc
	ret
EndProc Rogue_Init_Complete

VxD_LOCKED_CODE_ENDS
	end
