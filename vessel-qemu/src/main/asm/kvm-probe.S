/*
 * Vessel's KVM probe: a multiboot kernel of a few hundred bytes that QEMU loads with -kernel. It does what a guest
 * kernel's first steps do, so that a host whose KVM opens but cannot run a guest is caught without a Linux kernel:
 *   - enter 64-bit long mode with paging (CR4.PAE, EFER.LME through wrmsr, CR0.PG) and check EFER.LMA with rdmsr;
 *   - touch 32 MiB page by page (each first touch is a fault the host's MMU must resolve);
 *   - make 1,000 port I/O exits (POST port 0x80), the kind of exit every device access is;
 *   - print VESSEL-KVM-PROBE-OK on COM1 and end QEMU through isa-debug-exit (exit status (0x10 << 1) | 1 = 33).
 * Broken nested KVM shows up as an internal error, an assertion in QEMU, a fault, or a probe too slow to finish
 * within its time (each exit taking ~100 ms); AccelProbe reads all of those as "KVM does not work here".
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003
#define DEBUG_EXIT 0xf4
#define COM1 0x3f8

        .text
        .code32
        .align 4
        .long MB_MAGIC                  /* the multiboot header: QEMU looks for it in the first 8 KiB */
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .globl _start
_start:
        cli
        mov $stack_top, %esp
        mov $0x80000000, %eax
        cpuid
        cmp $0x80000001, %eax
        jb no_long_mode
        mov $0x80000001, %eax
        cpuid
        test $(1 << 29), %edx
        jz no_long_mode
        /* identity-map the first GiB with 2 MiB pages */
        mov $pdpt, %eax
        or $3, %eax
        mov %eax, pml4
        mov $pd, %eax
        or $3, %eax
        mov %eax, pdpt
        xor %ecx, %ecx
1:      mov %ecx, %eax
        shl $21, %eax
        or $0x83, %eax
        mov %eax, pd(,%ecx,8)
        inc %ecx
        cmp $512, %ecx
        jne 1b
        mov %cr4, %eax
        or $(1 << 5), %eax              /* PAE */
        mov %eax, %cr4
        mov $pml4, %eax
        mov %eax, %cr3
        mov $0xC0000080, %ecx           /* EFER */
        rdmsr
        or $(1 << 8), %eax              /* LME */
        wrmsr
        mov %cr0, %eax
        or $0x80000001, %eax            /* PG | PE */
        mov %eax, %cr0
        lgdt gdtr
        ljmp $0x08, $long_mode

no_long_mode:
        mov $msg_no_lm, %esi
        mov $COM1, %dx
2:      lodsb
        test %al, %al
        jz 3f
        out %al, %dx
        jmp 2b
3:      mov $DEBUG_EXIT, %dx
        mov $0x11, %al
        out %al, %dx
        hlt

        .code64
long_mode:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        mov $0xC0000080, %ecx
        rdmsr
        test $(1 << 10), %eax           /* LMA: long mode is active */
        jz not_active
        movl $0x01000000, %edi          /* touch 16..48 MiB, one write per 4 KiB page */
4:      movq %rdi, (%rdi)
        add $4096, %edi
        cmp $0x03000000, %edi
        jb 4b
        movl $0x01000000, %edi          /* and read it back */
5:      cmpq %rdi, (%rdi)
        jne not_active
        add $4096, %edi
        cmp $0x03000000, %edi
        jb 5b
        movl $1000, %ecx                /* 1,000 port I/O exits */
        mov $0x80, %dx
6:      out %al, %dx
        loop 6b
        movl $msg_ok, %esi
        mov $COM1, %dx
7:      lodsb
        test %al, %al
        jz 8f
        out %al, %dx
        jmp 7b
8:      mov $DEBUG_EXIT, %dx
        mov $0x10, %al
        out %al, %dx
        hlt
not_active:
        mov $DEBUG_EXIT, %dx
        mov $0x12, %al
        out %al, %dx
        hlt

        .data
        .align 8
gdt:    .quad 0
        .quad 0x00209A0000000000        /* 64-bit code */
        .quad 0x0000920000000000        /* data */
gdtr:   .word gdtr - gdt - 1
        .long gdt
msg_ok: .asciz "VESSEL-KVM-PROBE-OK\n"
msg_no_lm: .asciz "VESSEL-KVM-PROBE: the vCPU has no long mode\n"

        .bss
        .align 4096
pml4:   .skip 4096
pdpt:   .skip 4096
pd:     .skip 4096
        .skip 16384
stack_top:
