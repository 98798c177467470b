/* A stand-in for Windows 10's bcryptprimitives.dll, for running letopis.exe under wine 8 (Debian
 * 12), which lacks the DLL. Rust's standard library (1.78 and later) imports
 * bcryptprimitives.dll!ProcessPrng for its random numbers (HashMap keys); here it is answered by
 * RtlGenRandom (advapi32!SystemFunction036), which wine has. Only the tests use it: real Windows
 * 10 and 11 have their own DLL.
 *
 * Built by tests/windows.rs:
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll bcryptprimitives.c \
 *       bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length: feed it in pieces. */
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
