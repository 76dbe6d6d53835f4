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
    // One instruction at a time: capstone 4 (Debian 12) stops at encodings it does not know (some EVEX ones, such
    // as vpopcntq), so those bytes are printed as .byte and decoding goes on after them.
    cs_insn *insn = cs_malloc(handle);
    const uint8_t *code = buffer;
    size_t left = length;
    uint64_t address = start_va;
    while (left > 0) {
        const uint8_t *at = code;
        uint64_t here = address;
        event_callback(event_stream, "insn", (void *) (uintptr_t) here);
        if (cs_disasm_iter(handle, &code, &left, &address, insn)) {
            printf_callback(printf_stream, "%-10s %s", insn->mnemonic, insn->op_str);
        } else {
            printf_callback(printf_stream, ".byte      0x%02x", *at);
            code = at + 1;
            left--;
            address = here + 1;
        }
        event_callback(event_stream, "/insn", (void *) (uintptr_t) address);
        if (newline) {
            printf_callback(printf_stream, "\n");
        }
    }
    cs_free(insn, 1);
    cs_close(&handle);
    return (void *) (uintptr_t) address;
}
