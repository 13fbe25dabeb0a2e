; system-control.asm - the System_Control page of the DDK, completed: two devices talk through
; private messages (70000000h-7FFFFFFFh, which the system never uses). When its Init_Complete
; arrives, SENDER sends two of them; RECEIVER answers the first with CF clear and fails the
; second with CF set, so the sender's `jc error` is taken. ECX is System_Control's own: the
; receiver never sees the sender's ECX.
;
; run: vmmasm run examples/system-control.asm

	.386p
	include vmm.inc

PING	equ	BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 1	; answered
REFUSE	equ	BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 2	; failed with CF

Declare_Virtual_Device SENDER, 1, 0, SENDER_Control, Undefined_Device_ID, Undefined_Init_Order
Declare_Virtual_Device RECEIVER, 1, 0, RECEIVER_Control, Undefined_Device_ID, Undefined_Init_Order + 1

VxD_LOCKED_CODE_SEG

BeginProc SENDER_Control
	cmp	eax, Init_Complete
	jne	sender_done
	mov	eax, PING			; system control message
	VMMcall Get_Sys_VM_Handle		; EBX = VM handle (if needed by message)
	mov	esi, 1				; message-specific parameters
	mov	edi, 2
	mov	edx, 3
	; vmmasm-disable-next-line ecx-through-system-control -- on purpose: the receiver shows it never arrives
	mov	ecx, 0DEADBEEFh			; not passed on: System_Control uses ECX
	VMMcall System_Control
	jc	error				; carry flag set if error
	Trace_Out "SENDER: PING answered, CF clear"

	mov	eax, REFUSE
	VMMcall System_Control
	jc	error
	Trace_Out "SENDER: REFUSE answered (not expected)"
sender_done:
	clc
	ret
error:
	Trace_Out "SENDER: message #EAX failed, jc taken"
	clc					; Init_Complete itself succeeds
	ret
EndProc SENDER_Control

BeginProc RECEIVER_Control
	cmp	eax, PING
	je	on_ping
	cmp	eax, REFUSE
	je	on_refuse
	clc					; every other message: not handled, success
	ret
on_ping:
	Trace_Out "RECEIVER: PING with ESI=#ESI EDI=#EDI EDX=#EDX, ECX=#ECX"
	clc
	ret
on_refuse:
	Trace_Out "RECEIVER: refusing message #EAX"
	stc
	ret
EndProc RECEIVER_Control

VxD_LOCKED_CODE_ENDS
	end
