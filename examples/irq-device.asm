; irq-device.asm - a device that virtualises IRQ 5 with VPICD. When the IRQ fires (the run's
; scenario raises it at 10 ms and 30 ms), VPICD calls the hardware-interrupt procedure at
; interrupt time: Get_VMM_Reenter_Count is nonzero, so only asynchronous services may be used,
; and Call_VM_Event schedules instead of calling. The real work happens in the event callback,
; after the interrupt, when every service is available again.
;
; run: vmmasm run --at "10 irq 5" --at "30 irq 5" examples/irq-device.asm

	.386p
	include vmm.inc
	include vpicd.inc

Declare_Virtual_Device IRQDEV, 1, 0, IRQDEV_Control, Undefined_Device_ID, Undefined_Init_Order

VxD_LOCKED_DATA_SEG
IRQ_Desc	VPICD_IRQ_Descriptor <5, 0, OFFSET32 IRQDEV_Hw_Int>
IRQ_Handle	dd	0
Interrupts	dd	0
VxD_LOCKED_DATA_ENDS

Begin_Control_Dispatch IRQDEV
	Control_Dispatch Device_Init, IRQDEV_Device_Init
End_Control_Dispatch IRQDEV

VxD_LOCKED_CODE_SEG

BeginProc IRQDEV_Device_Init
	mov	edi, OFFSET32 IRQ_Desc
	VxDcall VPICD_Virtualize_IRQ		; EAX = IRQ handle, CF set on failure
	jc	no_irq
	mov	[IRQ_Handle], eax
	Trace_Out "IRQDEV: IRQ 5 virtualised, handle #EAX"
	clc
	ret
no_irq:
	Trace_Out "IRQDEV: IRQ 5 is taken"
	stc					; fail Device_Init: the device is unloaded
	ret
EndProc IRQDEV_Device_Init

; EAX = IRQ handle, EBX = current VM; interrupts disabled; may change EAX-EDX, ESI and flags.
BeginProc IRQDEV_Hw_Int, LOCKED
	inc	[Interrupts]
	VMMcall Get_VMM_Reenter_Count
	Trace_Out "IRQDEV: interrupt, reenter count #ECX"
	VxDcall VPICD_Phys_EOI			; acknowledge the interrupt (EAX = IRQ handle)
	VMMcall Get_Cur_VM_Handle
	mov	esi, OFFSET32 IRQDEV_Event
	mov	edx, [Interrupts]
	VMMcall Call_VM_Event			; at interrupt time this schedules
	Trace_Out "IRQDEV: event scheduled, handle #ESI"
	clc					; handled
	ret
EndProc IRQDEV_Hw_Int

BeginProc IRQDEV_Event
	VMMcall Get_VMM_Reenter_Count
	VMMcall Get_System_Time
	Trace_Out "IRQDEV: event for interrupt #EDX at #EAX ms, reenter count #ECX"
	ret
EndProc IRQDEV_Event

VxD_LOCKED_CODE_ENDS
	end
