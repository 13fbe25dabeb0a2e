include vmm.inc
	mov eax, 12345678h
	Trace_Out "hello #EAX"
