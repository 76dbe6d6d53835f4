/*
 * A HotSpot disassembler plugin over Debian's capstone, so that -XX:+PrintAssembly shows what C2 emits for the
 * engine's kernels. Debian's libhsdis0-fcml exports only the pre-JDK 9 entry point; JDK 25 calls
 * decode_instructions_virtual. Build and use (see docs/performance.md):
 *   apt-get install -y libcapstone-dev
 *   gcc -O2 -shared -fPIC -o hsdis-amd64.so hsdis-capstone.c -lcapstone
 *   LD_LIBRARY_PATH=DIR java -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,CLASS::METHOD ...
 */
#include <capstone/capstone.h>
#include <stdint.h>
#include <stdio.h>

typedef void *(*event_callback_t)(void *, const char *, void *);
typedef int (*printf_callback_t)(void *, const char *, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_callback_t event_callback, void *event_stream,
                                  printf_callback_t printf_callback, void *printf_stream,
                                  const char *options, int newline) {
    (void) end_va;
    (void) options;
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        return (void *) start_va;
    }
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    cs_insn *insn;
    size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
    uintptr_t end = start_va;
    for (size_t i = 0; i < count; i++) {
        event_callback(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
        printf_callback(printf_stream, "%-10s %s", insn[i].mnemonic, insn[i].op_str);
        event_callback(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
        if (newline) {
            printf_callback(printf_stream, "\n");
        }
        end = insn[i].address + insn[i].size;
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return (void *) end;
}
