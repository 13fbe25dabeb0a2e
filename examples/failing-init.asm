; failing-init.asm - a device that fails Device_Init (CF = 1). The DDK says the device is then
; unloaded: it gets Sys_Critical_Init and Device_Init, and nothing after, while the other device
; goes on receiving every message.
;
; run: vmmasm run examples/failing-init.asm

	.386p
	include vmm.inc

Declare_Virtual_Device QUITTER, 1, 0, QUITTER_Control, Undefined_Device_ID, Undefined_Init_Order
Declare_Virtual_Device STAYER, 1, 0, STAYER_Control, Undefined_Device_ID, Undefined_Init_Order

VxD_LOCKED_CODE_SEG

BeginProc QUITTER_Control
	Trace_Out "QUITTER got message #EAX"
	cmp	eax, Device_Init
	je	fail_init
	clc
	ret
fail_init:
	Trace_Out "QUITTER: no hardware found, failing Device_Init"
	stc
	ret
EndProc QUITTER_Control

BeginProc STAYER_Control
	Trace_Out "STAYER got message #EAX"
	clc
	ret
EndProc STAYER_Control

VxD_LOCKED_CODE_ENDS
	end
