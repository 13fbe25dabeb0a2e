; device-messages.asm - a device that prints every System_Control message it gets, from boot to
; shutdown. Its control procedure is built by the DDK's dispatch macros: Begin_Control_Dispatch
; opens MSGLOG_Control in locked code, each Control_Dispatch names a handler, and
; End_Control_Dispatch builds the jump table. Handlers are reached by a jump, so their CF is the
; answer; with the table form EAX arrives as (message - lowest message dispatched).
;
; run: vmmasm run --vms 1 examples/device-messages.asm

	.386p
	include vmm.inc

Declare_Virtual_Device MSGLOG, 1, 0, MSGLOG_Control, Undefined_Device_ID, Undefined_Init_Order

Begin_Control_Dispatch MSGLOG
	Control_Dispatch Sys_Critical_Init,	MsgLog_Boot
	Control_Dispatch Device_Init,		MsgLog_Boot
	Control_Dispatch Init_Complete,		MsgLog_Boot
	Control_Dispatch Sys_VM_Init,		MsgLog_VM
	Control_Dispatch Create_VM,		MsgLog_VM
	Control_Dispatch VM_Critical_Init,	MsgLog_VM
	Control_Dispatch VM_Init,		MsgLog_VM
	Control_Dispatch VM_Terminate,		MsgLog_VM
	Control_Dispatch VM_Not_Executeable,	MsgLog_VM
	Control_Dispatch Destroy_VM,		MsgLog_VM
	Control_Dispatch Sys_VM_Terminate,	MsgLog_VM
	Control_Dispatch System_Exit,		MsgLog_Exit
	Control_Dispatch Sys_Critical_Exit,	MsgLog_Exit
End_Control_Dispatch MSGLOG

VxD_LOCKED_CODE_SEG

; EAX = message - Sys_Critical_Init (the lowest one dispatched, which is 0, so EAX = message).
BeginProc MsgLog_Boot
	Trace_Out "MSGLOG: boot message #EAX"
	clc
	ret
EndProc MsgLog_Boot

BeginProc MsgLog_VM
	mov	ecx, [ebx.CB_VMID]
	Trace_Out "MSGLOG: VM message #EAX for VM #ECX"
	clc
	ret
EndProc MsgLog_VM

BeginProc MsgLog_Exit
	Trace_Out "MSGLOG: exit message #EAX"
	clc
	ret
EndProc MsgLog_Exit

VxD_LOCKED_CODE_ENDS
	end
